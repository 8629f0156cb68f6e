package dev.strata.core.serving;

import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.WriteFencedException;
import dev.strata.core.testing.HashEmbedder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Another process for {@link MigrationRaceTest}: {@code lock FILE} holds an OS lock on FILE
 * (printing {@code locked}) until its standard input closes; {@code commit INDEX ID} writes one
 * record and commits it, exiting 0 when committed, 3 when the write fence refused it.
 */
public final class FenceTestChild {
  static final int FENCED = 3;

  private FenceTestChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "lock" -> {
        try (FileChannel channel = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          System.out.println("locked");
          System.out.flush();
          while (System.in.read() >= 0) {
            // hold until the parent closes our input
          }
        }
      }
      case "commit" -> {
        try (HashEmbedder model = new HashEmbedder(LiveMigrationTest.MODEL_A, 16);
            VectorIndex index = VectorIndex.open(Path.of(args[1]))) {
          TextIndex.of(index, model).upsertAll(List.of(TextRecord.of(args[2], "written by another process")));
          index.commit("from another process");
        } catch (WriteFencedException fenced) {
          System.err.println(fenced.getMessage());
          System.exit(FENCED);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
