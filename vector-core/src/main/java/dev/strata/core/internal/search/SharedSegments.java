package dev.strata.core.internal.search;

import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.util.StringHelper;

/**
 * The segments two readers hold with the same live records: an id live in one of them is live
 * there in both and nowhere else, so a comparison can count them instead of reading them.
 */
final class SharedSegments {
  private SharedSegments() {}

  /** The {@link #key}s of the segments both readers hold unchanged. */
  static Set<String> between(IndexReader before, IndexReader after) {
    Set<String> shared = keys(before);
    shared.retainAll(keys(after));
    return shared;
  }

  /**
   * What makes a segment's live records the same in two readers: its unique id (random at its
   * creation, so two indexes never share one unless one is a branch of the other) and the
   * generations of its deletions and updates. Null when the reader is not a plain segment.
   */
  static String key(LeafReader reader) {
    if (!(FilterLeafReader.unwrap(reader) instanceof SegmentReader segment)) {
      return null;
    }
    SegmentCommitInfo info = segment.getSegmentInfo();
    byte[] id = info.info.getId();
    return id == null ? null : StringHelper.idToString(id) + "/" + info.getDelGen() + "/" + info.getFieldInfosGen() + "/"
        + info.getDocValuesGen() + "/" + segment.numDocs();
  }

  private static Set<String> keys(IndexReader reader) {
    Set<String> keys = new HashSet<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      String key = key(leaf.reader());
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }
}
