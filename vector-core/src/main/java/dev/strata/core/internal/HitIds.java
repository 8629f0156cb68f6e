package dev.strata.core.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ScoreDoc;

/**
 * The record ids of ranked documents, read from the ids' doc values ({@link
 * LuceneDocuments#ID_VALUES}): a few memory reads per hit where the stored fields would decompress
 * a block of records for each.
 */
final class HitIds {
  private static final Set<String> ID_ONLY = Set.of(LuceneDocuments.ID);

  private HitIds() {}

  /**
   * The ids of the first {@code n} of {@code ranked}, in rank order. Doc values read forward only,
   * so the documents are visited in document order and their ids put back in rank order. A
   * document written before the doc values existed gives its id from the stored fields.
   */
  static String[] of(IndexReader reader, ScoreDoc[] ranked, int n) throws IOException {
    long[] byDoc = new long[n];
    for (int rank = 0; rank < n; rank++) {
      byDoc[rank] = ((long) ranked[rank].doc << 32) | rank;
    }
    Arrays.sort(byDoc);
    String[] ids = new String[n];
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    BinaryDocValues values = null;
    StoredFields stored = null;
    for (long entry : byDoc) {
      int doc = (int) (entry >>> 32);
      int rank = (int) entry;
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = leaf.reader().getBinaryDocValues(LuceneDocuments.ID_VALUES);
      }
      if (values != null && values.advanceExact(doc - leaf.docBase)) {
        ids[rank] = values.binaryValue().utf8ToString();
      } else {
        stored = stored == null ? reader.storedFields() : stored;
        ids[rank] = stored.document(doc, ID_ONLY).get(LuceneDocuments.ID);
      }
    }
    return ids;
  }
}
