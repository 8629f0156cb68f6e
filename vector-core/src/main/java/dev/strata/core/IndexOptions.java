package dev.strata.core;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * How this process uses an index (unlike {@link IndexSchema}, nothing here is stored in it).
 * Immutable; make one with {@link #builder()} or change one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * IndexOptions options = IndexOptions.builder().readOnly(true).meterRegistry(registry).build();
 * }</pre>
 */
public final class IndexOptions {
  public static final int DEFAULT_MAX_TEXT_BYTES = 1 << 20;
  public static final double DEFAULT_RAM_BUFFER_MB = 64;
  /** Records written since the last commit from which on a write counts as a bulk load. */
  public static final int DEFAULT_BULK_LOAD_RECORDS = 10_000;

  public static final IndexOptions DEFAULTS = builder().build();

  private final boolean readOnly;
  private final int maxTextBytes;
  private final double ramBufferMb;
  private final RetentionPolicy retention;
  private final boolean backgroundMerges;
  private final MeterRegistry meterRegistry;
  private final SearchObserver monitor;
  private final boolean deferGraphs;
  private final int mergeWorkers;
  private final int bulkLoadRecords;
  private final boolean vectorOrder;
  private final Clock clock;
  private final boolean checksumOnOpen;
  private final long scrubBytesPerSecond;
  private final java.time.Duration scrubInterval;
  private final java.time.Duration refreshInterval;
  private final AdmissionLimits searchAdmission;
  private final java.util.concurrent.ScheduledExecutorService scheduler;

  private IndexOptions(Builder b) {
    if (b.maxTextBytes < 0) {
      throw new IllegalArgumentException("maxTextBytes must be >= 0, got " + b.maxTextBytes);
    }
    if (!(b.ramBufferMb >= 1 && b.ramBufferMb <= 2048)) {
      throw new IllegalArgumentException("ramBufferMb must be in [1, 2048], got " + b.ramBufferMb);
    }
    this.readOnly = b.readOnly;
    this.maxTextBytes = b.maxTextBytes;
    this.ramBufferMb = b.ramBufferMb;
    this.retention = Objects.requireNonNull(b.retention, "retention");
    this.backgroundMerges = b.backgroundMerges;
    this.meterRegistry = b.meterRegistry;
    this.monitor = b.monitor;
    this.deferGraphs = b.deferGraphs;
    if (b.mergeWorkers < 1) {
      throw new IllegalArgumentException("mergeWorkers must be >= 1, got " + b.mergeWorkers);
    }
    this.mergeWorkers = b.mergeWorkers;
    if (b.bulkLoadRecords < 0) {
      throw new IllegalArgumentException("bulkLoadRecords must be >= 0 (0: never a bulk load), got " + b.bulkLoadRecords);
    }
    this.bulkLoadRecords = b.bulkLoadRecords;
    this.vectorOrder = b.vectorOrder;
    this.clock = Objects.requireNonNull(b.clock, "clock");
    if (b.scrubBytesPerSecond < 0) {
      throw new IllegalArgumentException("scrubBytesPerSecond must be >= 0 (0: no scrub), got " + b.scrubBytesPerSecond);
    }
    if (b.scrubInterval == null || b.scrubInterval.isNegative() || b.scrubInterval.isZero()) {
      throw new IllegalArgumentException("scrubInterval must be positive, got " + b.scrubInterval);
    }
    this.checksumOnOpen = b.checksumOnOpen;
    this.scrubBytesPerSecond = b.scrubBytesPerSecond;
    this.scrubInterval = b.scrubInterval;
    if (b.refreshInterval == null || b.refreshInterval.isNegative()) {
      throw new IllegalArgumentException("refreshInterval must be >= 0 (0: refresh only when asked), got " + b.refreshInterval);
    }
    this.refreshInterval = b.refreshInterval;
    this.searchAdmission = java.util.Objects.requireNonNull(b.searchAdmission, "searchAdmission");
    this.scheduler = b.scheduler;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.readOnly = readOnly;
    b.maxTextBytes = maxTextBytes;
    b.ramBufferMb = ramBufferMb;
    b.retention = retention;
    b.backgroundMerges = backgroundMerges;
    b.meterRegistry = meterRegistry;
    b.monitor = monitor;
    b.deferGraphs = deferGraphs;
    b.mergeWorkers = mergeWorkers;
    b.bulkLoadRecords = bulkLoadRecords;
    b.vectorOrder = vectorOrder;
    b.clock = clock;
    b.checksumOnOpen = checksumOnOpen;
    b.scrubBytesPerSecond = scrubBytesPerSecond;
    b.scrubInterval = scrubInterval;
    b.refreshInterval = refreshInterval;
    b.searchAdmission = searchAdmission;
    b.scheduler = scheduler;
    return b;
  }

  /** Open without a writer: searches only, no write lock taken, so another process may write. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Largest text, in UTF-8 bytes, a record may carry. */
  public int maxTextBytes() {
    return maxTextBytes;
  }

  /** Memory Lucene's writer fills before it flushes a segment. */
  public double ramBufferMb() {
    return ramBufferMb;
  }

  /** Which snapshots the writer keeps. */
  public RetentionPolicy retention() {
    return retention;
  }

  /** Whether Lucene merges segments as they accumulate (see {@link Builder#backgroundMerges}). */
  public boolean backgroundMerges() {
    return backgroundMerges;
  }

  /** Where the index publishes its metrics, or {@code null} for none. */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** What watches this index's searches, or {@code null} for nothing. */
  public SearchObserver monitor() {
    return monitor;
  }

  /** Threads a merge builds its HNSW graph with (see {@link Builder#mergeWorkers}). */
  public int mergeWorkers() {
    return mergeWorkers;
  }

  /** Records since the last commit from which on flushes skip the graph (see {@link Builder#bulkLoadRecords}). */
  public int bulkLoadRecords() {
    return bulkLoadRecords;
  }

  /** Whether large merges write their documents in vector order (see {@link Builder#vectorOrder}). */
  public boolean vectorOrder() {
    return vectorOrder;
  }

  /** Whether flushed segments are written without their graph (see {@link Builder#deferGraphs}). */
  public boolean deferGraphs() {
    return deferGraphs;
  }

  /** Where snapshots, compactions and retention read the time. */
  public Clock clock() {
    return clock;
  }

  /**
   * Whether each segment's checksums are verified before it serves its first search (see {@link
   * Builder#checksumOnOpen}).
   */
  public boolean checksumOnOpen() {
    return checksumOnOpen;
  }

  /** How fast the background scrub reads the served files; 0 when there is no scrub. */
  public long scrubBytesPerSecond() {
    return scrubBytesPerSecond;
  }

  /** The pause before each background scrub pass. */
  public java.time.Duration scrubInterval() {
    return scrubInterval;
  }

  /** How often a read-only index looks for new commits by itself (see {@link Builder#refreshInterval}). */
  public java.time.Duration refreshInterval() {
    return refreshInterval;
  }

  /** How many searches run at once and wait behind them (see {@link Builder#searchAdmission}). */
  public AdmissionLimits searchAdmission() {
    return searchAdmission;
  }

  /**
   * Where the index's periodic work runs (see {@link Builder#scheduler}); null for Strata's shared
   * daemon threads.
   */
  public java.util.concurrent.ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexOptions other
        && readOnly == other.readOnly
        && maxTextBytes == other.maxTextBytes
        && Double.compare(ramBufferMb, other.ramBufferMb) == 0
        && retention.equals(other.retention)
        && backgroundMerges == other.backgroundMerges
        && meterRegistry == other.meterRegistry
        && monitor == other.monitor
        && deferGraphs == other.deferGraphs
        && mergeWorkers == other.mergeWorkers
        && bulkLoadRecords == other.bulkLoadRecords
        && vectorOrder == other.vectorOrder
        && clock.equals(other.clock)
        && checksumOnOpen == other.checksumOnOpen
        && scrubBytesPerSecond == other.scrubBytesPerSecond
        && scrubInterval.equals(other.scrubInterval)
        && refreshInterval.equals(other.refreshInterval)
        && searchAdmission.equals(other.searchAdmission)
        && scheduler == other.scheduler;
  }

  @Override
  public int hashCode() {
    return Objects.hash(readOnly, maxTextBytes, ramBufferMb, retention, backgroundMerges, deferGraphs, mergeWorkers, bulkLoadRecords, vectorOrder, clock,
        checksumOnOpen, scrubBytesPerSecond, scrubInterval, refreshInterval, searchAdmission);
  }

  @Override
  public String toString() {
    return "IndexOptions[readOnly=" + readOnly + ", maxTextBytes=" + maxTextBytes + ", ramBufferMb=" + ramBufferMb
        + ", retention=" + retention + ", backgroundMerges=" + backgroundMerges + ", meterRegistry="
        + (meterRegistry != null) + ", monitor=" + (monitor != null) + ", deferGraphs=" + deferGraphs
        + ", mergeWorkers=" + mergeWorkers + ", bulkLoadRecords=" + bulkLoadRecords + ", vectorOrder=" + vectorOrder + ", clock=" + clock + ", checksumOnOpen=" + checksumOnOpen + ", scrubBytesPerSecond=" + scrubBytesPerSecond
        + ", scrubInterval=" + scrubInterval + ", refreshInterval=" + refreshInterval + ", searchAdmission="
        + searchAdmission + "]";
  }

  /** Collects options; every one has a default, so {@code builder().build()} is {@link #DEFAULTS}. */
  public static final class Builder {
    private boolean readOnly;
    private int maxTextBytes = DEFAULT_MAX_TEXT_BYTES;
    private double ramBufferMb = DEFAULT_RAM_BUFFER_MB;
    private RetentionPolicy retention = RetentionPolicy.DEFAULT;
    private boolean backgroundMerges = true;
    private MeterRegistry meterRegistry;
    private SearchObserver monitor;
    private boolean deferGraphs;
    private int mergeWorkers = Runtime.getRuntime().availableProcessors();
    private int bulkLoadRecords = DEFAULT_BULK_LOAD_RECORDS;
    private boolean vectorOrder = false;
    private Clock clock = Clock.systemUTC();
    private boolean checksumOnOpen = true;
    private java.util.concurrent.ScheduledExecutorService scheduler;
    private long scrubBytesPerSecond = 16L << 20;
    private java.time.Duration scrubInterval = java.time.Duration.ofHours(1);
    private java.time.Duration refreshInterval = java.time.Duration.ofSeconds(1);
    private AdmissionLimits searchAdmission = AdmissionLimits.searches();

    private Builder() {}

    /** Opens without a writer: searches only, so another process may write meanwhile. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** Largest text, in UTF-8 bytes, a record may carry (default 1 MiB). */
    public Builder maxTextBytes(int maxTextBytes) {
      this.maxTextBytes = maxTextBytes;
      return this;
    }

    /** Memory Lucene's writer fills before it flushes a segment, in [1, 2048] (default 64). */
    public Builder ramBufferMb(double ramBufferMb) {
      this.ramBufferMb = ramBufferMb;
      return this;
    }

    /** Which snapshots the writer keeps (default: the last 10 and every tagged one). */
    public Builder retention(RetentionPolicy retention) {
      this.retention = retention;
      return this;
    }

    /**
     * Whether Lucene merges segments as they accumulate (the default); without, segments merge
     * only when a compaction runs, which makes merge I/O predictable (a bulk load, a nightly
     * window) at the price of more segments for searches to visit meanwhile.
     */
    public Builder backgroundMerges(boolean backgroundMerges) {
      this.backgroundMerges = backgroundMerges;
      return this;
    }

    /**
     * Publishes the index's metrics ({@code strata.*}, tag {@code index}) to {@code registry};
     * {@code null} (the default) publishes none, at no cost.
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
      return this;
    }

    /**
     * Watches this index's searches for retrieval drift and estimates recall; {@code null} (the
     * default) for none. The caller closes the monitor after the index.
     */
    public Builder monitor(SearchObserver monitor) {
      this.monitor = monitor;
      return this;
    }

    /**
     * Writes flushed segments without their HNSW graph and builds it when they are merged (a
     * compaction, or a background merge): a bulk load followed by a compaction builds its graph
     * about 1.6x faster than building it record by record. Until then searches score those
     * segments exhaustively (exact, but slower); {@link IndexStats#graphlessSegments()} counts
     * them. Off by default.
     */
    public Builder deferGraphs(boolean deferGraphs) {
      this.deferGraphs = deferGraphs;
      return this;
    }

    /**
     * Threads a merge (a compaction, a background merge, the graph build of deferred graphs)
     * builds the merged segment's HNSW graph with, on one pool shared by the JVM (Lucene's
     * concurrent HNSW merge). Default: one per core. The graph is built in another order than
     * with one thread, so it differs slightly, with the same quality. A flush builds with one.
     */
    public Builder mergeWorkers(int mergeWorkers) {
      this.mergeWorkers = mergeWorkers;
      return this;
    }

    /**
     * Whether a merge whose vectors outgrow a CPU cache (32 MiB of them: about 22,000 vectors of 384
     * dimensions; a bulk load's graph build, a compaction, a large background merge) writes its
     * documents in vector order: vectors close in space close on disk, found by recursive
     * bisection, so that a search reads fewer pages. Doc ids change; records, ids, hits and the
     * record digest do not. The bisection takes about 3 s per 100,000 vectors and the merge then
     * rewrites stored fields instead of copying them; its graph build, whose searches read
     * neighbouring vectors too, repaid that and more on one thread on synthetic clustered vectors
     * (docs/BENCHMARKS.md). A merge into a segment that holds half of it or more with its graph
     * keeps Lucene's order. Default: off, because on real embeddings (100,000 SciFact passages) the
     * order built a worse graph (recall@10 at ef 16 0.919 against 0.933) more slowly, and searched
     * at 0.74-0.87x hnswlib's speed against 0.85-1.03x without it.
     */
    public Builder vectorOrder(boolean vectorOrder) {
      this.vectorOrder = vectorOrder;
      return this;
    }

    /**
     * Makes large loads build their HNSW graph once instead of record by record: from the
     * {@code bulkLoadRecords}-th record written since the last commit on (default 10,000; 0: never),
     * the writer flushes segments without their graph, and the commit that ends the load starts
     * one background build of a single graph for all of them ({@link dev.strata.core.index.VectorIndex#awaitGraphBuild},
     * {@link IndexStats#graphBuildRunning()}). Searches score those segments exhaustively meanwhile:
     * exact, slower. The build commits its own snapshot when it ends, unless writes are buffered
     * then (the next commit takes it along); an index closed before that builds again when it is next
     * opened for writing. Has no effect with {@link #deferGraphs}, whose caller builds the graph.
     */
    public Builder bulkLoadRecords(int bulkLoadRecords) {
      this.bulkLoadRecords = bulkLoadRecords;
      return this;
    }

    /** Where snapshot times, compaction schedules and retention ages come from (default: UTC). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Verifies every file of a segment against its checksum before the segment serves its first
     * search after it was opened from disk (Lucene itself checks only the small files when it opens
     * them, and a flipped bit in a vector or stored field would otherwise be read as data). A file
     * is read once per process; the cost is one sequential read of the index when it opens, and of
     * each new segment after a commit. A segment that fails takes the index out of service with
     * {@link IndexDamagedException} instead of answering from it. On by default.
     */
    public Builder checksumOnOpen(boolean checksumOnOpen) {
      this.checksumOnOpen = checksumOnOpen;
      return this;
    }

    /**
     * How fast the background scrub re-reads the files the index serves to catch bit rot that
     * arrives after they were checked (default 16 MiB/s; 0 turns the scrub off). A damaged file
     * takes the index out of service as a failed check on open does.
     */
    public Builder scrubBytesPerSecond(long scrubBytesPerSecond) {
      this.scrubBytesPerSecond = scrubBytesPerSecond;
      return this;
    }

    /** The pause before each scrub pass, the first counted from the open (default 1 hour). */
    public Builder scrubInterval(java.time.Duration scrubInterval) {
      this.scrubInterval = scrubInterval;
      return this;
    }

    /**
     * How often a {@linkplain #readOnly read-only} index checks for commits made by the writer (in
     * this process or another) and, when there is one, opens it for the searches that start after
     * (default 1 second; 0: only when {@link dev.strata.core.index.VectorIndex#refresh()} is called). A reader is at most
     * this interval plus the time to open the new snapshot behind the writer's last commit; searches
     * in flight finish on the snapshot they started on (the same reference-counted swap as {@link
     * dev.strata.core.serving.SearcherHandle}). A writable index sees its own commits at once.
     */
    public Builder refreshInterval(java.time.Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    /**
     * How many searches of this index run at once and how many wait behind them; a search beyond
     * both is refused at once with {@link OverloadedException} (default {@link
     * AdmissionLimits#searches()}: processors + 1 running, 16 per processor waiting; {@link
     * AdmissionLimits#unlimited()} admits every search). Writes are never limited by it.
     */
    public Builder searchAdmission(AdmissionLimits searchAdmission) {
      this.searchAdmission = searchAdmission;
      return this;
    }

    /**
     * Runs the index's periodic work on {@code scheduler} instead of Strata's shared daemon
     * threads: a read-only index's auto-refresh, the integrity scrub, and a {@code LiveIndex}'s
     * interval commits and alias following. For an application that owns its threads, and for tests
     * that run that work by hand instead of waiting for it. The index cancels what it scheduled when
     * it closes and never shuts the scheduler down. Null (the default): the shared daemons.
     */
    public Builder scheduler(java.util.concurrent.ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** The options; an invalid one is an {@link IllegalArgumentException} naming it. */
    public IndexOptions build() {
      return new IndexOptions(this);
    }
  }
}
