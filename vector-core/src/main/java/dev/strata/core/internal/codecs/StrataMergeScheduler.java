package dev.strata.core.internal.codecs;

import dev.strata.core.internal.io.Failures;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merge scheduler, plus a way to abort the merges it is running (a compaction
 * being shut down). Forced merges (compaction) are throttled with {@link #setForceMergeMBPerSec}.
 */
public final class StrataMergeScheduler extends ConcurrentMergeScheduler {
  private final Set<MergePolicy.OneMerge> running = ConcurrentHashMap.newKeySet();
  private final Object idle = new Object();

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    running.add(merge);
    try {
      super.doMerge(mergeSource, merge);
    } finally {
      synchronized (idle) {
        running.remove(merge);
        idle.notifyAll();
      }
    }
  }

  /**
   * A background merge that failed: Lucene's default rethrows it on the merge thread, whose uncaught
   * exception prints a long stack trace to stderr (twice, on a full disk: the next write hits it
   * again). The writer keeps the failure and the next commit or write reports it with its cause
   * (see {@code BufferedWrites}), so here it is logged once, in one line.
   */
  @Override
  protected void handleMergeException(Throwable exc) {
    System.getLogger(StrataMergeScheduler.class.getName()).log(System.Logger.Level.ERROR,
        "a background merge failed: " + Failures.rootMessage(exc) + " (the next commit or write reports it)");
  }

  /**
   * Waits until no merge runs. A forced merge skips segments that a natural merge is already
   * merging, and does not wait for that merge: a compaction waits here so that its commit holds
   * every merge it asked for.
   */
  public void awaitRunningMerges() throws InterruptedException {
    synchronized (idle) {
      while (!running.isEmpty()) {
        idle.wait();
      }
    }
  }

  /** As {@link #awaitRunningMerges()}, giving up after {@code timeoutMillis}. */
  public void awaitRunningMerges(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L; // monotonic: a clock step cannot stretch the wait
    synchronized (idle) {
      for (long left = timeoutMillis; !running.isEmpty() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
        idle.wait(left);
      }
    }
  }

  /** Asks every running merge to stop at its next check; the index keeps its unmerged segments. */
  public void abortRunningMerges() {
    running.forEach(MergePolicy.OneMerge::setAborted);
  }
}
