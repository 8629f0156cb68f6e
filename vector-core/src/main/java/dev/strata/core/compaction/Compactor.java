package dev.strata.core.compaction;

import dev.strata.core.IndexStats;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.IndexEngines;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.codecs.RetentionDeletionPolicy;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.snapshot.SnapshotSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compacts one index: expunges deleted records, merges segments (each one an HNSW graph every
 * search visits) and lets retention prune the snapshots it no longer keeps, then commits the
 * result as a snapshot whose message is the report. Merges run on Lucene's merge threads, throttled
 * to the policy's rate; writes and searches go on meanwhile (searches see the compacted segments
 * from the compaction's commit on). One compaction at a time per compactor.
 */
public final class Compactor {
  private static final System.Logger LOG = System.getLogger(Compactor.class.getName());

  private final VectorIndex index;
  private final IndexEngine engine;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean abortRequested;

  /** A compactor of {@code index}, which the caller keeps and closes. */
  public Compactor(VectorIndex index) {
    this.index = index;
    this.engine = IndexEngines.of(index);
    this.clock = index.options().clock();
  }

  /** The index compacted. */
  public VectorIndex index() {
    return index;
  }

  /** Whether a compaction is running now. */
  public boolean isRunning() {
    return running.get();
  }

  /** The policy triggers that fire now (empty: not due). */
  public List<String> due(CompactionPolicy policy, Instant now, Instant lastRun) {
    return policy.triggers(index.stats(), unretainedBytes(), now, lastRun);
  }

  /** What {@link #compact} would do now, without doing it. */
  public CompactionReport plan(CompactionPolicy policy) {
    IndexStats before = index.stats();
    List<String> triggers = policy.triggers(before, unretainedBytes(), clock.instant(), null);
    return new CompactionReport(triggers, policy.actions(), CompactionReport.Outcome.DRY_RUN,
        shape(before), shape(before), CompactionReport.Io.NONE, 0, Duration.ZERO, null);
  }

  /** Runs the policy's actions now, whatever its triggers say. */
  public CompactionReport compact(CompactionPolicy policy) {
    return compact(policy, List.of("requested"));
  }

  /**
   * Runs the policy's actions, recording {@code triggers} as the reason.
   *
   * @throws IllegalStateException if a compaction is already running on this compactor
   */
  public CompactionReport compact(CompactionPolicy policy, List<String> triggers) {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("a compaction is already running on index " + index.path());
    }
    abortRequested = false;
    try {
      long start = System.nanoTime();
      IndexStats before = index.stats();
      int snapshotsBefore = index.history().list().size();
      long read0 = engine.writerBytesRead();
      long written0 = engine.writerBytesWritten();
      try {
        engine.merges().force(policy.expungeDeletes(), policy.maxSegments(), policy.maxMergeMbPerSec());
      } catch (RuntimeException e) {
        if (!abortRequested) {
          throw e;
        }
      }
      if (abortRequested) {
        LOG.log(System.Logger.Level.INFO, "compaction of {0} aborted; its last snapshot is unchanged", index.path());
        return new CompactionReport(triggers, policy.actions(), CompactionReport.Outcome.ABORTED,
            shape(before), shape(index.stats()), io(read0, written0), 0, Duration.ofNanos(System.nanoTime() - start),
            null);
      }
      long[] merged = engine.merges().pendingShape(); // live, deleted, segments as the commit will record them
      CompactionReport.Io io = io(read0, written0);
      String message = String.format(Locale.ROOT,
          "compaction (%s): %s; segments %d -> %d, deleted docs %d -> %d, %d bytes read, %d written",
          String.join("; ", triggers), String.join(", ", policy.actions()), before.segments(), merged[2],
          before.deletedDocs(), merged[1], io.bytesRead(), io.bytesWritten());
      engine.countCompaction(io.bytesRead(), io.bytesWritten());
      SnapshotInfo snapshot = engine.commit(message, null, policy.prune(), false);
      IndexStats after = index.stats();
      int pruned = Math.max(0, snapshotsBefore + 1 - index.history().list().size());
      CompactionReport report = new CompactionReport(triggers, policy.actions(), CompactionReport.Outcome.COMMITTED,
          shape(before), shape(after), io, pruned, Duration.ofNanos(System.nanoTime() - start), snapshot);
      LOG.log(System.Logger.Level.INFO, "compaction of {0}: {1}", index.path(), report.summary());
      engine.metrics().compacted(io.bytesRead(), io.bytesWritten());
      return report;
    } finally {
      running.set(false);
    }
  }

  private CompactionReport.Io io(long read0, long written0) {
    return new CompactionReport.Io(engine.writerBytesRead() - read0, engine.writerBytesWritten() - written0);
  }

  private static CompactionReport.Shape shape(IndexStats stats) {
    return new CompactionReport.Shape(stats.segments(), stats.docs(), stats.deletedDocs(), stats.bytes());
  }

  /**
   * Stops a running compaction: its merges are aborted and it commits nothing, so the index stays
   * at its last snapshot (records written meanwhile stay buffered). No effect when none runs.
   */
  public void abort() {
    if (running.get()) {
      abortRequested = true;
      engine.merges().abort();
    }
  }

  /** Bytes pinned only by snapshots that the index's retention policy no longer keeps. */
  public long unretainedBytes() {
    List<SnapshotSummary> snapshots = index.history().list();
    Instant now = clock.instant();
    long bytes = 0;
    for (int i = 0; i < snapshots.size(); i++) {
      SnapshotSummary s = snapshots.get(i);
      int newestFirst = snapshots.size() - 1 - i;
      if (!RetentionDeletionPolicy.keeps(index.options().retention(), newestFirst, s.info(), !s.tags().isEmpty(), now)) {
        bytes += s.pinnedBytes();
      }
    }
    return bytes;
  }
}
