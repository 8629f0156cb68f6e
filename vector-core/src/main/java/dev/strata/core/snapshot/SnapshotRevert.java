package dev.strata.core.snapshot;

import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import java.util.List;

/**
 * What reverting one snapshot does, or did ({@link IndexHistory#revert}): the records it added are
 * deleted, those it changed or deleted come back as they were before it, and every later write to
 * other records stays. A record a later snapshot wrote again is a conflict: left as it is unless
 * forced. Id lists are sorted.
 *
 * @param reverted the snapshot whose changes are undone
 * @param before the snapshot it undoes them back to (its parent)
 * @param toDelete ids the reverted snapshot added
 * @param toRestore ids it changed or deleted, restored as they were in {@code before}
 * @param conflicts ids among those that a later snapshot wrote again (left out unless forced)
 * @param snapshot the snapshot the revert committed, or {@code null} for a dry run or a revert with
 *     nothing to do
 */
public record SnapshotRevert(SnapshotInfo reverted, SnapshotInfo before, List<String> toDelete, List<String> toRestore,
    List<String> conflicts, SnapshotInfo snapshot) {
  public SnapshotRevert {
    toDelete = List.copyOf(toDelete);
    toRestore = List.copyOf(toRestore);
    conflicts = List.copyOf(conflicts);
  }

  /** The records to restore, read from {@code before}: internal to the revert. */
  record Plan(SnapshotRevert revert, List<Record> restored) {}
}
