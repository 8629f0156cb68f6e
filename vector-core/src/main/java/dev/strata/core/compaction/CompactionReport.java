package dev.strata.core.compaction;

import dev.strata.core.SnapshotInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a compaction did (or, for a dry run, would do): the index's shape before and after, the
 * I/O it cost as counted by the writer's directory, and the snapshot it committed.
 *
 * @param triggers why it ran: the policy triggers that fired, or "requested" when run by hand
 * @param actions what it did: expunge deletes, merge to N segments, prune
 * @param outcome whether it committed, was a dry run, or was aborted (the index unchanged)
 * @param before the index as the compaction found it
 * @param after the index once it committed (a dry run: as before)
 * @param io bytes the index writer read and wrote during the compaction (counted, not estimated)
 * @param snapshotsPruned kept snapshots that retention deleted at the compaction's commit
 * @param duration how long it took
 * @param snapshot the compaction's own snapshot; null for a dry run or an aborted compaction
 */
public record CompactionReport(
    List<String> triggers,
    List<String> actions,
    Outcome outcome,
    Shape before,
    Shape after,
    Io io,
    int snapshotsPruned,
    Duration duration,
    SnapshotInfo snapshot) {

  /** How a compaction ended. */
  public enum Outcome { COMMITTED, DRY_RUN, ABORTED }

  /**
   * An index's shape at one moment.
   *
   * @param segments Lucene segments (each an HNSW graph a search visits)
   * @param docs live records
   * @param deletedDocs deleted records still on disk
   * @param bytes bytes of the index directory
   */
  public record Shape(int segments, long docs, long deletedDocs, long bytes) {}

  /** Bytes the writer read and wrote. */
  public record Io(long bytesRead, long bytesWritten) {
    public static final Io NONE = new Io(0, 0);
  }

  public CompactionReport {
    triggers = List.copyOf(triggers);
    actions = List.copyOf(actions);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(io, "io");
    Objects.requireNonNull(duration, "duration");
  }

  /** Whether this was a dry run (nothing written). */
  public boolean dryRun() {
    return outcome == Outcome.DRY_RUN;
  }

  /** Whether the compaction was aborted before it committed. */
  public boolean aborted() {
    return outcome == Outcome.ABORTED;
  }

  /** Megabytes written per second of compaction (0 for a dry run). */
  public double mbWrittenPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds == 0 ? 0 : io.bytesWritten() / 1e6 / seconds;
  }

  /** One line for logs and commit messages. */
  public String summary() {
    return String.format(Locale.ROOT,
        "%s%s: segments %d -> %d, deleted docs %d -> %d, bytes %d -> %d, read %d, written %d, %d snapshots pruned, %.1f s",
        dryRun() ? "dry run " : aborted() ? "aborted " : "", String.join(", ", actions), before.segments(),
        after.segments(), before.deletedDocs(), after.deletedDocs(), before.bytes(), after.bytes(), io.bytesRead(),
        io.bytesWritten(), snapshotsPruned, duration.toNanos() / 1e9);
  }
}
