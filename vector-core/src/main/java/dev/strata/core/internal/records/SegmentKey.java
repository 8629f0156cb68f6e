package dev.strata.core.internal.records;

import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.util.StringHelper;

/**
 * What makes a segment's live records the same wherever it is read: the segment's id (random at
 * its creation, so two indexes never share one unless one is a branch of the other) and the id
 * Lucene gives each of its commits (renewed whenever its deletions or updates change, even where
 * a rollback numbers them as before).
 */
public final class SegmentKey {
  private SegmentKey() {}

  /** The key of {@code reader}'s segment, or null when it is not a plain segment or has no ids. */
  public static String of(LeafReader reader) {
    if (!(FilterLeafReader.unwrap(reader) instanceof SegmentReader segment)) {
      return null;
    }
    SegmentCommitInfo info = segment.getSegmentInfo();
    byte[] segmentId = info.info.getId();
    byte[] commitId = info.getId();
    if (segmentId == null || commitId == null) {
      return null;
    }
    return StringHelper.idToString(segmentId) + "/" + StringHelper.idToString(commitId) + "/" + segment.numDocs();
  }
}
