package dev.strata.core.internal.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ScoreDoc;

/**
 * Visits ranked documents in document order, segment by segment: doc values read forward only,
 * so a hit's fields are read in that order and put back in rank order by the visitor.
 */
final class RankedDocs {
  /** Receives each segment before its documents, then the documents. */
  interface Visitor {
    void segment(LeafReaderContext leaf) throws IOException;

    /** {@code doc}: the document within the segment; {@code rank}: its place in the ranking. */
    void document(int doc, int rank) throws IOException;
  }

  private RankedDocs() {}

  /** Visits the first {@code n} of {@code ranked}. */
  static void inDocOrder(IndexReader reader, ScoreDoc[] ranked, int n, Visitor visitor) throws IOException {
    long[] byDoc = new long[n];
    for (int rank = 0; rank < n; rank++) {
      byDoc[rank] = ((long) ranked[rank].doc << 32) | rank;
    }
    Arrays.sort(byDoc);
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    for (long entry : byDoc) {
      int doc = (int) (entry >>> 32);
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        visitor.segment(leaf);
      }
      visitor.document(doc - leaf.docBase, (int) entry);
    }
  }
}
