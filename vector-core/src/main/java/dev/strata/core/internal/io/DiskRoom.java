package dev.strata.core.internal.io;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Whether the disk under an index has room for what a background task is about to write. */
public final class DiskRoom {
  /** What a merge writes beyond its inputs' size (the HNSW graph, codec headers), and some slack. */
  public static final double MERGE_HEADROOM = 1.25;

  private DiskRoom() {}

  /**
   * Throws, saying what is needed and what is free, when the file store of {@code index} has less
   * usable space than {@code inputBytes} merged would take.
   */
  public static void require(Path index, long inputBytes, String what) throws IOException {
    long needed = (long) (inputBytes * MERGE_HEADROOM);
    long usable = Files.getFileStore(index).getUsableSpace();
    if (usable < needed) {
      throw new StrataException(String.format(Locale.ROOT, "%s on index %s not started: it needs about %.1f MB and"
          + " the disk has %.1f MB free; nothing was written, and the segments stay searched exhaustively until space"
          + " is freed and a compaction or the next writable open builds their graph", what, index, needed / 1e6, usable / 1e6));
    }
  }
}
