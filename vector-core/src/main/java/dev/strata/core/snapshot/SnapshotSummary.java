package dev.strata.core.snapshot;

import dev.strata.core.SnapshotInfo;
import java.util.List;

/**
 * A kept snapshot as {@link IndexHistory#list()} lists it.
 *
 * @param info id, parent, time, live count and message
 * @param deletedDocs documents deleted but still on disk in this snapshot
 * @param tags the names that point at it
 * @param pinnedBytes bytes of files that only this snapshot uses: what deleting it would free
 * @param modelFingerprint the model its vectors come from, or {@code null}
 */
public record SnapshotSummary(SnapshotInfo info, long deletedDocs, List<String> tags, long pinnedBytes, String modelFingerprint) {
  public SnapshotSummary {
    tags = List.copyOf(tags);
  }
}
