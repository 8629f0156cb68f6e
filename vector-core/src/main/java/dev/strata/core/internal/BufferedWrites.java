package dev.strata.core.internal;

import dev.strata.core.StrataException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether writes are buffered since the last commit, and which were lost with a writer that a
 * tragic error closed while no call of the caller's own failed on it (a compaction's or a bulk
 * load's graph build's merge filled the disk). The next write or commit says so, once, and does
 * nothing: committing what came after as if the lost writes were there would lose them silently.
 */
final class BufferedWrites {
  private volatile boolean any;
  private final AtomicReference<String> lostUnreported = new AtomicReference<>();

  boolean any() {
    return any;
  }

  /** Writes were buffered. */
  void added() {
    any = true;
  }

  /** Nothing is buffered any more: committed, or gone with a failing call that said so. */
  void cleared() {
    any = false;
  }

  /**
   * The writer closed on {@code cause} and reopened at snapshot {@code head}: what it buffered is
   * gone, unreported so far. Returns whether anything was buffered.
   */
  boolean lostWithWriter(long head, Throwable cause) {
    if (!any) {
      return false;
    }
    any = false;
    lostUnreported.set("the writes buffered since snapshot " + head + " were lost when its writer closed on "
        + Failures.rootMessage(cause));
    return true;
  }

  /** Throws, once, when writes were lost and no call has said so yet. */
  void throwIfLostUnreported(Path path) {
    String lost = lostUnreported.getAndSet(null);
    if (lost != null) {
      throw new StrataException("index " + path + ": " + lost + "; none of them is in the index: write them again,"
          + " then commit (this call did nothing)");
    }
  }
}
