package dev.strata.core.serving;

import dev.strata.core.RecordChanges;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a live migration proves of its target (docs/design/live-migration.md, steps 2 and 4). The
 * walk over every id runs before the fence, against the source snapshot the rounds caught up to;
 * under the fence only the final round's changes are looked up, so the time writers are held
 * grows with what they wrote during the last round, not with the size of the index.
 */
final class MigrationCheck {
  private static final int NAMED = 5; // ids a mismatch names, at most

  private MigrationCheck() {}

  /** Before the fence: the target holds exactly the ids of {@code caughtUpTo}. */
  static void sameIds(Path targetPath, SnapshotView target, SnapshotView caughtUpTo) {
    RecordChanges diff = target.changesSince(caughtUpTo);
    if (!diff.sameIds()) {
      throw new IndexRebuilder.RebuildMismatchException(targetPath, "holds other ids than source snapshot "
          + caughtUpTo.snapshot().id() + " after the catch-up rounds: " + named("not in the source", diff.added())
          + named("missing", diff.removed()));
    }
  }

  /**
   * Under the fence, after the final round: the target holds as many records as the source at the
   * fence, every id the round added or changed and none it removed, and for a copy ({@code copy})
   * the source's record digest. With {@link #sameIds} true before the round, this proves the same
   * ids at the fence.
   */
  static void finalRoundLanded(Path targetPath, SnapshotView target, SnapshotInfo sourceAtFence,
      RecordChanges finalRound, boolean copy) {
    SnapshotInfo built = target.snapshot();
    if (built.liveCount() != sourceAtFence.liveCount()) {
      throw new IndexRebuilder.RebuildMismatchException(targetPath, "holds " + built.liveCount()
          + " records, the source at the fence " + sourceAtFence.liveCount());
    }
    if (copy && !built.recordDigest().equals(sourceAtFence.recordDigest())) {
      throw new IndexRebuilder.RebuildMismatchException(targetPath, "record digest " + built.recordDigest()
          + " differs from the source's at the fence " + sourceAtFence.recordDigest());
    }
    List<String> missing = new ArrayList<>();
    for (List<String> ids : List.of(finalRound.added(), finalRound.changed())) {
      for (String id : ids) {
        if (target.get(id).isEmpty()) {
          missing.add(id);
        }
      }
    }
    List<String> kept = new ArrayList<>();
    for (String id : finalRound.removed()) {
      if (target.get(id).isPresent()) {
        kept.add(id);
      }
    }
    if (!missing.isEmpty() || !kept.isEmpty()) {
      throw new IndexRebuilder.RebuildMismatchException(targetPath, "did not take the final catch-up round: "
          + named("missing", missing) + named("deleted in the source but still held", kept));
    }
  }

  private static String named(String what, List<String> ids) {
    if (ids.isEmpty()) {
      return "";
    }
    return ids.size() + " " + what + " (" + String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())))
        + (ids.size() > NAMED ? ", ..." : "") + ") ";
  }
}
