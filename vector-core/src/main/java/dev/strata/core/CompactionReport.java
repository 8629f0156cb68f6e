package dev.strata.core;

import java.time.Duration;
import java.util.List;

/**
 * What a compaction did (or, for a dry run, would do): the index before and after, the I/O it
 * cost as counted by the writer's directory, and the snapshot it committed.
 *
 * @param triggers why it ran: the policy triggers that fired, or "requested" when run by hand
 * @param actions what it did: expunge deletes, merge to N segments, prune
 * @param bytesRead bytes the index writer read during the compaction (counted, not estimated)
 * @param bytesWritten bytes the index writer wrote during the compaction
 * @param snapshotsPruned kept snapshots that retention deleted at the compaction's commit
 * @param snapshot the compaction's own snapshot; null for a dry run or an aborted compaction
 * @param aborted whether the compaction was stopped before its commit (the index is unchanged)
 */
public record CompactionReport(
    List<String> triggers,
    List<String> actions,
    boolean dryRun,
    boolean aborted,
    int segmentsBefore,
    int segmentsAfter,
    long docsBefore,
    long docsAfter,
    long deletedDocsBefore,
    long deletedDocsAfter,
    long bytesBefore,
    long bytesAfter,
    long bytesRead,
    long bytesWritten,
    int snapshotsPruned,
    Duration duration,
    SnapshotInfo snapshot) {

  public CompactionReport {
    triggers = List.copyOf(triggers);
    actions = List.copyOf(actions);
  }

  /** Megabytes written per second of compaction (0 for a dry run). */
  public double mbWrittenPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds == 0 ? 0 : bytesWritten / 1e6 / seconds;
  }

  /** One line for logs and commit messages. */
  public String summary() {
    return String.format(java.util.Locale.ROOT,
        "%s%s: segments %d -> %d, deleted docs %d -> %d, bytes %d -> %d, read %d, written %d, %d snapshots pruned, %.1f s",
        dryRun ? "dry run " : aborted ? "aborted " : "", String.join(", ", actions), segmentsBefore, segmentsAfter,
        deletedDocsBefore, deletedDocsAfter, bytesBefore, bytesAfter, bytesRead, bytesWritten, snapshotsPruned,
        duration.toNanos() / 1e9);
  }
}
