package dev.strata.core.snapshot;

import dev.strata.core.SnapshotInfo;
import dev.strata.core.SnapshotWriter;
import java.util.List;

/**
 * A kept snapshot as {@link IndexHistory#list()} lists it.
 *
 * @param info id, parent, time, live count and message
 * @param deletedDocs documents deleted but still on disk in this snapshot
 * @param tags the names that point at it
 * @param pinnedBytes bytes of files that only this snapshot uses: what deleting it would free
 * @param modelFingerprint the model its vectors come from, or {@code null}
 * @param writer who made it (host, user, process, Strata version), or {@code null} for a snapshot
 *     written before Strata recorded it
 */
public record SnapshotSummary(SnapshotInfo info, long deletedDocs, List<String> tags, long pinnedBytes, String modelFingerprint,
    SnapshotWriter writer) {
  public SnapshotSummary {
    tags = List.copyOf(tags);
  }

  /** A summary without its writer, as summaries were before they recorded one. */
  public SnapshotSummary(SnapshotInfo info, long deletedDocs, List<String> tags, long pinnedBytes, String modelFingerprint) {
    this(info, deletedDocs, tags, pinnedBytes, modelFingerprint, null);
  }
}
