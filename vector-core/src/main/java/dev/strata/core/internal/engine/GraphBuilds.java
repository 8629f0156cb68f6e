package dev.strata.core.internal.engine;

import dev.strata.core.internal.io.DaemonThreads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one index's graph builds (a bulk load's segments merged into one with its HNSW graph) on
 * one daemon thread, one at a time. A build asked for while one runs runs once more after it, for
 * the segments of the newer load; one asked for while one waits is already covered by it. A failed
 * build is logged, not retried: the next bulk load, compaction or writable open builds again.
 */
final class GraphBuilds implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GraphBuilds.class.getName());

  private final Path path;
  private final Runnable build;
  private final Runnable abortMerges;
  private final ExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicInteger unfinished = new AtomicInteger();
  private volatile Future<?> latest;
  private volatile boolean closing;

  /** {@code build} does one build; {@code abortMerges} stops a running one (at close). */
  GraphBuilds(Path path, Runnable build, Runnable abortMerges) {
    this.path = path;
    this.build = build;
    this.abortMerges = abortMerges;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("strata-graph-build"));
  }

  /** Asks for a build; returns at once. */
  synchronized void start() {
    if (closing || !queued.compareAndSet(false, true)) {
      return;
    }
    unfinished.incrementAndGet();
    latest = thread.submit(this::runOnce);
  }

  private void runOnce() {
    queued.set(false);
    try {
      if (closing) {
        return; // asked for before the close, reached after it
      }
      build.run();
    } catch (RuntimeException e) {
      if (!closing) {
        LOG.log(System.Logger.Level.WARNING, "graph build of index " + path + " did not complete (its segments stay"
            + " searched exhaustively until the next bulk load, compaction or writable open builds them): " + e.getMessage(), e);
      }
    } finally {
      unfinished.decrementAndGet();
    }
  }

  /** Whether a build runs or waits to. */
  boolean running() {
    return unfinished.get() > 0;
  }

  /** Waits at most {@code timeout} for the builds asked for so far; whether they are done. */
  boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Future<?> last;
      synchronized (this) {
        if (unfinished.get() == 0) {
          return true;
        }
        last = latest;
      }
      try {
        last.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException("unreachable: runOnce catches its failures", e);
      }
    }
  }

  /**
   * Stops a running build (its half-built merge is discarded) and drops a waiting one. Never
   * interrupts the build's thread: an interrupt that lands while it reads or writes through a
   * file channel closes the channel, and when that is the write lock's, Lucene's writer fails
   * every later call ("FileLock invalidated by an external force"), its close included (seen
   * closing a 1M index during a graph build). Lucene's merge abort stops the build instead.
   */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    if (running()) {
      abortMerges.run();
    }
    thread.shutdown(); // a waiting build still starts, sees the close and ends at once
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "graph build of index " + path + " did not stop within 30 s of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
