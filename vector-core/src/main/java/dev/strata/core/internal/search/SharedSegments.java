package dev.strata.core.internal.search;

import dev.strata.core.internal.records.SegmentKey;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;

/**
 * The segments two readers hold with the same live records: an id live in one of them is live
 * there in both and nowhere else, so a comparison can count them instead of reading them.
 */
final class SharedSegments {
  private SharedSegments() {}

  /** The {@link SegmentKey}s of the segments both readers hold unchanged. */
  static Set<String> between(IndexReader before, IndexReader after) {
    Set<String> shared = keys(before);
    shared.retainAll(keys(after));
    return shared;
  }

  private static Set<String> keys(IndexReader reader) {
    Set<String> keys = new HashSet<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      String key = SegmentKey.of(leaf.reader());
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }
}
