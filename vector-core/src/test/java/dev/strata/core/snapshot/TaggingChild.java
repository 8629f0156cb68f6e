package dev.strata.core.snapshot;

import dev.strata.core.IndexOptions;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;

/** A separate process that tags one snapshot many times, racing its siblings: {@code INDEX NAME COUNT}. */
public final class TaggingChild {
  private TaggingChild() {}

  public static void main(String[] args) {
    try (VectorIndex index = VectorIndex.open(Path.of(args[0]), IndexOptions.builder().readOnly(true).build())) {
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        index.history().tag("1", args[1] + "-" + i);
      }
    }
  }
}
