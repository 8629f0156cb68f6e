package dev.strata.core.snapshot;

import dev.strata.core.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What changed between two snapshots of one index, record by record ({@link IndexHistory#diff}):
 * the ids that {@code to} has and {@code from} has not, the reverse, and those whose record (vector,
 * text or metadata) differs. Found from the per-record hashes every snapshot keeps, so no vector or
 * text is read. Id lists are sorted.
 *
 * @param from the earlier side as given (it need not be older)
 * @param to the other side
 * @param added ids in {@code to} only
 * @param removed ids in {@code from} only
 * @param changed ids in both whose records differ
 * @param unchanged how many ids are in both with the same record
 */
public record SnapshotDiff(SnapshotInfo from, SnapshotInfo to, List<String> added, List<String> removed, List<String> changed,
    long unchanged) {
  public SnapshotDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** The diff of two snapshots' id-to-record-hash maps. */
  static SnapshotDiff of(SnapshotInfo from, Map<String, Long> before, SnapshotInfo to, Map<String, Long> after) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    long unchanged = 0;
    for (Map.Entry<String, Long> record : after.entrySet()) {
      Long old = before.get(record.getKey());
      if (old == null) {
        added.add(record.getKey());
      } else if (old.longValue() != record.getValue().longValue()) {
        changed.add(record.getKey());
      } else {
        unchanged++;
      }
    }
    for (String id : before.keySet()) {
      if (!after.containsKey(id)) {
        removed.add(id);
      }
    }
    added.sort(null);
    removed.sort(null);
    changed.sort(null);
    return new SnapshotDiff(from, to, added, removed, changed, unchanged);
  }

  /** Whether the two snapshots hold the same records. */
  public boolean same() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }
}
