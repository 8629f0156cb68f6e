package dev.strata.core;

import java.util.List;

/**
 * Which records differ between an earlier and a later snapshot of one index, by id, each list
 * sorted: found from the hash each record keeps, without reading a vector or a text.
 *
 * @param added ids only the later snapshot holds
 * @param removed ids only the earlier snapshot holds
 * @param changed ids both hold, with different contents
 * @param unchanged how many ids both hold with the same contents
 */
public record RecordChanges(List<String> added, List<String> removed, List<String> changed, long unchanged) {
  /** Copies the lists. */
  public RecordChanges {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** Added, removed and changed records together. */
  public long count() {
    return (long) added.size() + removed.size() + changed.size();
  }

  /** Whether both snapshots hold exactly the same ids (contents may differ). */
  public boolean sameIds() {
    return added.isEmpty() && removed.isEmpty();
  }
}
