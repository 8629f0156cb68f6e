package dev.strata.core.internal.engine;

import dev.strata.core.StrataException;
import dev.strata.core.internal.io.Failures;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether writes are buffered since the last commit, and whether some were lost with a writer that
 * a tragic error (a full disk) closed. Whoever saw the error (a compaction, a background graph
 * build, one writer's flush) cannot tell every writer whose writes went with it; the commit is
 * what acknowledges writes, so the next commit of the caller's is refused, once: committing what
 * came after as if the lost writes were there would lose them silently.
 */
final class BufferedWrites {
  private volatile boolean any;
  private final AtomicReference<String> lost = new AtomicReference<>();

  boolean any() {
    return any;
  }

  /** Writes were buffered. */
  void added() {
    any = true;
  }

  /** Nothing is buffered any more: committed, or gone with a failed commit that said so. */
  void cleared() {
    any = false;
  }

  /**
   * The writer closed on {@code cause} and reopened at snapshot {@code head}: what it buffered is
   * gone. Returns whether anything was buffered.
   */
  boolean lostWithWriter(long head, Throwable cause) {
    if (!any) {
      return false;
    }
    any = false;
    lost.set("the writes buffered since snapshot " + head + " were lost when its writer closed on "
        + Failures.rootMessage(cause));
    return true;
  }

  /** Throws, once, when writes were lost since the last commit that was told. */
  void throwIfLost(Path path) {
    String message = lost.getAndSet(null);
    if (message != null) {
      throw new dev.strata.core.WritesLostException("commit refused on index " + path + ": " + message + "; none of them is in the index."
          + " Write them again, then commit (writes made since the loss are still buffered and go with that commit)");
    }
  }
}
