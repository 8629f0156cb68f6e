package dev.strata.core.monitor;

import dev.strata.core.Hit;
import dev.strata.core.PinnedSnapshot;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.internal.io.DaemonThreads;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-runs sampled approximate searches by brute force, in the background (a thread of its own, or
 * the caller's executor), against the very snapshot that answered them, and keeps the mean
 * recall@k. Waiting samples are bounded: beyond the capacity a new sample is dropped and counted,
 * and its snapshot released at once. Thread-safe.
 */
final class RecallEstimator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RecallEstimator.class.getName());

  private final String name;
  private final Executor executor;
  private final ThreadPoolExecutor ownExecutor; // null when the caller's executor runs the samples
  private final int capacity;
  private volatile boolean closed;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Object totalsLock = new Object();
  private double recallSum; // guarded by totalsLock
  private long samples; // guarded by totalsLock

  RecallEstimator(String name, int queueCapacity, Executor callersExecutor) {
    this.name = name;
    this.capacity = queueCapacity;
    this.ownExecutor = callersExecutor != null ? null
        : new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
            DaemonThreads.named("strata-recall-estimator-" + name));
    this.executor = callersExecutor != null ? callersExecutor : ownExecutor;
  }

  /**
   * Queues the exact run of {@code request}, whose approximate answer was {@code approximate}.
   * Takes ownership of {@code snapshot}, a view of the snapshot that answered, and closes it.
   */
  void submit(SearchRequest request, SearchResult approximate, PinnedSnapshot snapshot) {
    if (closed || (ownExecutor == null && pending.get() >= capacity)) {
      dropped.incrementAndGet();
      snapshot.close();
      return;
    }
    pending.incrementAndGet();
    try {
      executor.execute(new Sample(snapshot, () -> measure(request, approximate, snapshot)));
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      dropped.incrementAndGet();
      snapshot.close();
    }
  }

  private void measure(SearchRequest request, SearchResult approximate, PinnedSnapshot snapshot) {
    try (snapshot) {
      if (closed) {
        dropped.incrementAndGet(); // queued on the caller's executor before close: not measured
        return;
      }
      SearchRequest exactRequest = SearchRequest.builder(request.vector()).k(request.k()).ef(request.ef())
          .filter(request.filter()).minScore(request.minScore()).source(request.source()).exact(true).idsOnly(true)
          .build();
      SearchResult exact = snapshot.search(exactRequest);
      if (exact.hits().isEmpty()) {
        return; // nothing to find: recall is undefined, not 1
      }
      Set<String> found = new HashSet<>();
      for (Hit hit : approximate.hits()) {
        found.add(hit.id());
      }
      long overlap = exact.hits().stream().filter(h -> found.contains(h.id())).count();
      synchronized (totalsLock) {
        recallSum += overlap / (double) exact.hits().size();
        samples++;
      }
    } catch (RuntimeException e) {
      if (failed.getAndIncrement() == 0) {
        LOG.log(System.Logger.Level.WARNING, "recall estimator " + name + ": exact search of a sample failed"
            + " (further failures are counted, not logged)", e);
      }
    } finally {
      pending.decrementAndGet();
    }
  }

  RecallEstimate estimate() {
    synchronized (totalsLock) {
      return new RecallEstimate(samples == 0 ? Double.NaN : recallSum / samples, samples, dropped.get(), failed.get(),
          pending.get());
    }
  }

  void reset() {
    synchronized (totalsLock) {
      recallSum = 0;
      samples = 0;
    }
  }

  /**
   * Stops taking samples: queued ones are dropped and their snapshots released, and the one running
   * on the estimator's own thread (if any) is given a few seconds to finish, so no exact search
   * outlives its index. Samples queued on a caller's executor release their snapshots unmeasured.
   */
  @Override
  public void close() {
    closed = true;
    if (ownExecutor == null) {
      return; // the caller's executor: samples still queued there release their snapshots unmeasured
    }
    for (Runnable queued : ownExecutor.shutdownNow()) {
      dropped.incrementAndGet();
      pending.decrementAndGet();
      ((Sample) queued).snapshot().close();
    }
    try {
      if (!ownExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "recall estimator " + name + ": an exact search still runs after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Sample(PinnedSnapshot snapshot, Runnable work) implements Runnable {
    @Override
    public void run() {
      work.run();
    }
  }
}
