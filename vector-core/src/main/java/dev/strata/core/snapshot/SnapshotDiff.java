package dev.strata.core.snapshot;

import dev.strata.core.RecordChanges;
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
 * @param bySource the added, removed and changed records counted by source label ({@link
 *     dev.strata.core.Record#source}; {@code ""} for records without one), most changes first: an
 *     added or changed record counts under its label in {@code to}, a removed one under its label in
 *     {@code from}
 */
public record SnapshotDiff(SnapshotInfo from, SnapshotInfo to, List<String> added, List<String> removed, List<String> changed,
    long unchanged, Map<String, SourceChanges> bySource) {
  public SnapshotDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
    bySource = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bySource));
  }

  /**
   * One source label's share of a diff.
   *
   * @param added records of this source in {@code to} only
   * @param removed records of this source in {@code from} only
   * @param changed records in both, of this source in {@code to}, whose records differ
   */
  public record SourceChanges(long added, long removed, long changed) {
    /** All three together. */
    public long total() {
      return added + removed + changed;
    }
  }

  /**
   * The diff of two snapshots from their record changes; {@code sourcesBefore} and {@code
   * sourcesAfter} give the source labels of the ids each side holds.
   */
  static SnapshotDiff of(SnapshotInfo from, SnapshotInfo to, RecordChanges changes, SourceLookup sourcesBefore,
      SourceLookup sourcesAfter) {
    List<String> added = changes.added();
    List<String> removed = changes.removed();
    List<String> changed = changes.changed();
    Map<String, String> newLabels = sourcesAfter.of(concat(added, changed));
    Map<String, String> oldLabels = sourcesBefore.of(removed);
    Map<String, long[]> counts = new java.util.HashMap<>();
    added.forEach(id -> counts.computeIfAbsent(newLabels.getOrDefault(id, ""), k -> new long[3])[0]++);
    removed.forEach(id -> counts.computeIfAbsent(oldLabels.getOrDefault(id, ""), k -> new long[3])[1]++);
    changed.forEach(id -> counts.computeIfAbsent(newLabels.getOrDefault(id, ""), k -> new long[3])[2]++);
    Map<String, SourceChanges> bySource = new java.util.LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(java.util.Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -(e.getValue()[0] + e.getValue()[1]
            + e.getValue()[2])).thenComparing(Map.Entry::getKey))
        .forEach(e -> bySource.put(e.getKey(), new SourceChanges(e.getValue()[0], e.getValue()[1], e.getValue()[2])));
    return new SnapshotDiff(from, to, added, removed, changed, changes.unchanged(), bySource);
  }

  /** The source labels of some ids in one snapshot. */
  @FunctionalInterface
  interface SourceLookup {
    Map<String, String> of(List<String> ids);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  /** Whether the two snapshots hold the same records. */
  public boolean same() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }
}
