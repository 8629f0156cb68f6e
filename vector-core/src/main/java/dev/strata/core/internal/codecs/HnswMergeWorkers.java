package dev.strata.core.internal.codecs;

import dev.strata.core.internal.io.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads Lucene's concurrent HNSW merge builds a merged segment's graph on, one pool for the
 * whole JVM (as many threads as cores: more would only queue on the same cores). Daemon threads,
 * named {@code strata-hnsw-merge-N}, started on first use: a JVM that never merges a graph
 * starts none.
 */
final class HnswMergeWorkers {
  private HnswMergeWorkers() {}

  private static final class Holder {
    private static final ExecutorService POOL =
        Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), DaemonThreads.numbered("strata-hnsw-merge-"));
  }

  static ExecutorService executor() {
    return Holder.POOL;
  }
}
