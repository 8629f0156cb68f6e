package dev.strata.core.snapshot;

import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;

/** A process that reverts one snapshot of an index (args: PATH ID), for {@link RevertKillTest} to kill. */
public final class RevertChild {
  private RevertChild() {}

  public static void main(String[] args) {
    try (VectorIndex index = VectorIndex.open(Path.of(args[0]))) {
      System.out.println("reverting");
      System.out.flush();
      SnapshotRevert revert = index.history().revert(args[1], false, true);
      System.out.println("done " + revert.snapshot().id());
      System.out.flush();
    }
  }
}
