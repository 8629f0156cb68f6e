package dev.strata.core.compaction;

import dev.strata.core.IndexStats;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * When to compact an index and how far. A compaction is due when any trigger fires: the share of
 * deleted records is above a threshold, there are more segments than allowed, snapshots that
 * retention no longer keeps pin too many bytes, or the interval since the last compaction has
 * passed. A time window, if set, confines every compaction to those hours (say, the night).
 *
 * @param deletedRatioAbove trigger: deleted / (live + deleted) above this; NaN to disable
 * @param segmentsAbove trigger: more segments than this; 0 to disable
 * @param unretainedBytesAbove trigger: bytes pinned only by snapshots retention drops; 0 to disable
 * @param every trigger: this long since the last compaction; null to disable
 * @param windowStart with {@code windowEnd}: compact only between these local times (may wrap
 *     midnight); null for any time
 * @param zone the time zone of the window
 * @param expungeDeletes action: rewrite segments that hold deletions, so none remain
 * @param maxSegments action: merge down to at most this many segments; 0 to leave the count
 * @param prune action: the compaction's commit applies the index's retention, deleting the
 *     snapshots it no longer keeps; without, that commit deletes none (the next ordinary commit will)
 * @param maxMergeMbPerSec merge write rate limit for the compaction; infinity for none
 */
public record CompactionPolicy(
    double deletedRatioAbove,
    int segmentsAbove,
    long unretainedBytesAbove,
    Duration every,
    LocalTime windowStart,
    LocalTime windowEnd,
    ZoneId zone,
    boolean expungeDeletes,
    int maxSegments,
    boolean prune,
    double maxMergeMbPerSec) {

  /**
   * Compacts when a fifth of the records on disk are deleted or there are more than 12 segments:
   * expunges deletes, merges to at most 4 segments, prunes; merges write at most 40 MB/s.
   */
  public static final CompactionPolicy DEFAULT = builder()
      .deletedRatioAbove(0.2).segmentsAbove(12).expungeDeletes(true).maxSegments(4).prune(true)
      .maxMergeMbPerSec(40).build();

  public CompactionPolicy {
    if (!Double.isNaN(deletedRatioAbove) && !(deletedRatioAbove >= 0 && deletedRatioAbove < 1)) {
      throw new IllegalArgumentException("deletedRatioAbove must be in [0, 1) or NaN, got " + deletedRatioAbove);
    }
    if (segmentsAbove < 0 || maxSegments < 0 || unretainedBytesAbove < 0) {
      throw new IllegalArgumentException("segmentsAbove, maxSegments and unretainedBytesAbove must be >= 0");
    }
    if (every != null && (every.isNegative() || every.isZero())) {
      throw new IllegalArgumentException("every must be positive, got " + every);
    }
    if ((windowStart == null) != (windowEnd == null)) {
      throw new IllegalArgumentException("a window needs both a start and an end");
    }
    if (!(maxMergeMbPerSec > 0)) {
      throw new IllegalArgumentException("maxMergeMbPerSec must be > 0, got " + maxMergeMbPerSec);
    }
    if (zone == null) {
      zone = ZoneId.systemDefault();
    }
  }

  /** A builder with no trigger set: a policy that never fires until one is. */
  public static Builder builder() {
    return new Builder();
  }

  /** What a compaction would do, as words for reports and commit messages. */
  public List<String> actions() {
    List<String> actions = new ArrayList<>();
    if (expungeDeletes) {
      actions.add("expunge deletes");
    }
    if (maxSegments > 0) {
      actions.add("merge to at most " + maxSegments + " segment" + (maxSegments == 1 ? "" : "s"));
    }
    if (prune) {
      actions.add("prune unretained snapshots");
    }
    return actions;
  }

  /**
   * The triggers that fire for an index in {@code state} at {@code now}, given the last compaction
   * ({@code null} if none): empty when no compaction is due, or when {@code now} is outside the
   * window.
   */
  public List<String> triggers(IndexStats state, long unretainedBytes, Instant now, Instant lastRun) {
    List<String> fired = new ArrayList<>();
    if (!inWindow(now)) {
      return fired;
    }
    if (!Double.isNaN(deletedRatioAbove) && state.deletedRatio() > deletedRatioAbove) {
      fired.add(String.format(java.util.Locale.ROOT, "deleted ratio %.3f > %.3f", state.deletedRatio(), deletedRatioAbove));
    }
    if (segmentsAbove > 0 && state.segments() > segmentsAbove) {
      fired.add(state.segments() + " segments > " + segmentsAbove);
    }
    if (maxSegments > 0 && state.graphlessSegments() > 0) { // a forced merge builds their graphs
      fired.add(state.graphlessSegments() + " segment(s) without their HNSW graph (deferred graphs)");
    }
    if (unretainedBytesAbove > 0 && unretainedBytes > unretainedBytesAbove) {
      fired.add(unretainedBytes + " bytes pinned by unretained snapshots > " + unretainedBytesAbove);
    }
    if (every != null && (lastRun == null || !now.isBefore(lastRun.plus(every)))) {
      fired.add(lastRun == null ? "scheduled (every " + every + ", never ran)" : "scheduled (every " + every + ")");
    }
    return fired;
  }

  /** Whether {@code now} falls in the window (always, without one). */
  public boolean inWindow(Instant now) {
    if (windowStart == null) {
      return true;
    }
    LocalTime t = ZonedDateTime.ofInstant(now, zone).toLocalTime();
    return windowStart.isBefore(windowEnd) || windowStart.equals(windowEnd)
        ? !t.isBefore(windowStart) && t.isBefore(windowEnd)
        : !t.isBefore(windowStart) || t.isBefore(windowEnd); // wraps midnight
  }

  /** Collects a policy's triggers and window; a trigger left unset never fires. */
  public static final class Builder {
    private double deletedRatioAbove = Double.NaN;
    private int segmentsAbove;
    private long unretainedBytesAbove;
    private Duration every;
    private LocalTime windowStart;
    private LocalTime windowEnd;
    private ZoneId zone;
    private boolean expungeDeletes;
    private int maxSegments;
    private boolean prune;
    private double maxMergeMbPerSec = Double.POSITIVE_INFINITY;

    /** Fires when deleted records exceed this share of all records. */
    public Builder deletedRatioAbove(double ratio) {
      this.deletedRatioAbove = ratio;
      return this;
    }

    /** Fires when the latest snapshot has more segments than this. */
    public Builder segmentsAbove(int segments) {
      this.segmentsAbove = segments;
      return this;
    }

    /** Fires when snapshots that retention drops pin more than this many bytes. */
    public Builder unretainedBytesAbove(long bytes) {
      this.unretainedBytesAbove = bytes;
      return this;
    }

    /** Fires when this long has passed since the last compaction. */
    public Builder every(Duration interval) {
      this.every = interval;
      return this;
    }

    /** Fires only between {@code start} and {@code end} in {@code zone} (may wrap midnight). */
    public Builder window(LocalTime start, LocalTime end, ZoneId zone) {
      this.windowStart = start;
      this.windowEnd = end;
      this.zone = zone;
      return this;
    }

    /** Whether a compaction rewrites segments to drop deleted records. */
    public Builder expungeDeletes(boolean expunge) {
      this.expungeDeletes = expunge;
      return this;
    }

    /** Merges down to at most this many segments. */
    public Builder maxSegments(int segments) {
      this.maxSegments = segments;
      return this;
    }

    /** Whether snapshots beyond retention are pruned after the compaction. */
    public Builder prune(boolean prune) {
      this.prune = prune;
      return this;
    }

    /** Caps the compaction's merge writes at this rate (MB/s), to spare searches. */
    public Builder maxMergeMbPerSec(double mbPerSec) {
      this.maxMergeMbPerSec = mbPerSec;
      return this;
    }

    /** The policy. */
    public CompactionPolicy build() {
      return new CompactionPolicy(deletedRatioAbove, segmentsAbove, unretainedBytesAbove, every, windowStart,
          windowEnd, zone, expungeDeletes, maxSegments, prune, maxMergeMbPerSec);
    }
  }
}
