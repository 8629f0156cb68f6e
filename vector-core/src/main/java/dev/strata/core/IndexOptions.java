package dev.strata.core;

import dev.strata.core.monitor.RetrievalMonitor;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How this process uses an index (unlike {@link IndexSchema}, nothing here is stored in it).
 *
 * @param readOnly open without a writer: searches only, no write lock taken, so another process
 *     may write meanwhile
 * @param maxTextBytes largest text, in UTF-8 bytes, a record may carry
 * @param ramBufferMb memory Lucene's writer fills before it flushes a segment
 * @param retention which snapshots the writer keeps
 * @param backgroundMerges whether Lucene merges segments as they accumulate (the default); without,
 *     segments merge only when a {@link Compactor} compacts, which makes merge I/O predictable (a
 *     bulk load, a nightly window) at the price of more segments for searches to visit meanwhile
 * @param meterRegistry where the index publishes its metrics ({@code strata.*}, tag {@code index}),
 *     or {@code null} for none, at no cost
 * @param monitor watches this index's searches for retrieval drift and estimates recall (see
 *     {@link RetrievalMonitor}), or {@code null} for none; the caller closes it after the index
 * @param deferGraphs write flushed segments without their HNSW graph and build it when they are
 *     merged (a compaction, or a background merge): a bulk load followed by a compaction builds
 *     its graph about 1.6x faster than building it record by record as they arrive. Until then
 *     searches score those segments' vectors exhaustively (exact, but slower); {@link
 *     IndexStats#graphlessSegments()} counts them. Off by default.
 */
public record IndexOptions(
    boolean readOnly,
    int maxTextBytes,
    double ramBufferMb,
    RetentionPolicy retention,
    boolean backgroundMerges,
    MeterRegistry meterRegistry,
    RetrievalMonitor monitor,
    boolean deferGraphs) {

  public static final int DEFAULT_MAX_TEXT_BYTES = 1 << 20;
  public static final double DEFAULT_RAM_BUFFER_MB = 64;

  public static final IndexOptions DEFAULTS =
      new IndexOptions(false, DEFAULT_MAX_TEXT_BYTES, DEFAULT_RAM_BUFFER_MB, RetentionPolicy.DEFAULT, true, null, null, false);

  public IndexOptions {
    if (maxTextBytes < 0) {
      throw new IllegalArgumentException("maxTextBytes must be >= 0, got " + maxTextBytes);
    }
    if (!(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
      throw new IllegalArgumentException("ramBufferMb must be in [1, 2048], got " + ramBufferMb);
    }
    java.util.Objects.requireNonNull(retention, "retention");
  }

  /** The options as they were before {@code deferGraphs}: graphs built as records arrive. */
  public IndexOptions(
      boolean readOnly, int maxTextBytes, double ramBufferMb, RetentionPolicy retention,
      boolean backgroundMerges, MeterRegistry meterRegistry, RetrievalMonitor monitor) {
    this(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, false);
  }

  public IndexOptions withReadOnly(boolean readOnly) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  public IndexOptions withMaxTextBytes(int maxTextBytes) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  public IndexOptions withRamBufferMb(double ramBufferMb) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  public IndexOptions withRetention(RetentionPolicy retention) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  /** Publishes the index's metrics to {@code registry} (see {@code IndexMetrics} in the README). */
  public IndexOptions withMeterRegistry(MeterRegistry meterRegistry) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  /** Watches this index's searches with {@code monitor} (drift, breaker, recall estimate). */
  public IndexOptions withMonitor(RetrievalMonitor monitor) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  public IndexOptions withBackgroundMerges(boolean backgroundMerges) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }

  /** Flushed segments without graphs, built by the next merge; see {@code deferGraphs}. */
  public IndexOptions withDeferredGraphs(boolean deferGraphs) {
    return new IndexOptions(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, meterRegistry, monitor, deferGraphs);
  }
}
