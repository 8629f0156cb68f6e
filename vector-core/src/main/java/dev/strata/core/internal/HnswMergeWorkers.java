package dev.strata.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads Lucene's concurrent HNSW merge builds a merged segment's graph on, one pool for the
 * whole JVM (as many threads as cores: more would only queue on the same cores). Daemon threads,
 * named {@code strata-hnsw-merge-N}, started on first use: a JVM that never merges a graph
 * starts none.
 */
final class HnswMergeWorkers {
  private HnswMergeWorkers() {}

  private static final class Holder {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), daemons());
  }

  static ExecutorService executor() {
    return Holder.POOL;
  }

  private static java.util.concurrent.ThreadFactory daemons() {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "strata-hnsw-merge-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
