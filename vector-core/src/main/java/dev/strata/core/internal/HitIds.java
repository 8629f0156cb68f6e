package dev.strata.core.internal;

import dev.strata.core.Hit;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ScoreDoc;

/**
 * The records behind ranked documents, read from doc values: the ids from {@link
 * LuceneDocuments#ID_VALUES}, texts and metadata from {@link HitValues}; a few memory reads per
 * hit where the stored fields would decompress a block of records for each. A document written
 * before those doc values existed, or whose text is too long for them, is read from the stored
 * fields.
 */
final class HitIds {
  private static final Set<String> ID_ONLY = Set.of(LuceneDocuments.ID);

  private HitIds() {}

  /** The ids of the first {@code n} of {@code ranked}, in rank order. */
  static String[] of(IndexReader reader, ScoreDoc[] ranked, int n) throws IOException {
    String[] ids = new String[n];
    RankedDocs.inDocOrder(reader, ranked, n, new RankedDocs.Visitor() {
      private LeafReaderContext leaf;
      private BinaryDocValues values;
      private StoredFields stored;

      @Override
      public void segment(LeafReaderContext segment) throws IOException {
        leaf = segment;
        values = segment.reader().getBinaryDocValues(LuceneDocuments.ID_VALUES);
        stored = null;
      }

      @Override
      public void document(int doc, int rank) throws IOException {
        if (values != null && values.advanceExact(doc)) {
          ids[rank] = values.binaryValue().utf8ToString();
        } else {
          stored = stored == null ? leaf.reader().storedFields() : stored;
          ids[rank] = stored.document(doc, ID_ONLY).get(LuceneDocuments.ID);
        }
      }
    });
    return ids;
  }

  /** The first {@code n} of {@code ranked} as hits with their text and metadata, in rank order. */
  static List<Hit> withTextAndMetadata(IndexReader reader, ScoreDoc[] ranked, int n) throws IOException {
    Hit[] hits = new Hit[n];
    RankedDocs.inDocOrder(reader, ranked, n, new RankedDocs.Visitor() {
      private LeafReaderContext leaf;
      private BinaryDocValues ids;
      private BinaryDocValues values;
      private StoredFields stored;

      @Override
      public void segment(LeafReaderContext segment) throws IOException {
        leaf = segment;
        ids = segment.reader().getBinaryDocValues(LuceneDocuments.ID_VALUES);
        values = segment.reader().getBinaryDocValues(LuceneDocuments.HIT_VALUES);
        stored = null;
      }

      @Override
      public void document(int doc, int rank) throws IOException {
        float score = ranked[rank].score;
        HitValues.TextAndMetadata fast =
            values != null && values.advanceExact(doc) ? HitValues.decode(values.binaryValue()) : null;
        if (fast != null && ids != null && ids.advanceExact(doc)) {
          hits[rank] = new Hit(ids.binaryValue().utf8ToString(), score, fast.text(), fast.metadata());
        } else {
          stored = stored == null ? leaf.reader().storedFields() : stored;
          Document d = stored.document(doc);
          hits[rank] = new Hit(d.get(LuceneDocuments.ID), score, d.get(LuceneDocuments.TEXT), LuceneDocuments.metadataOf(d));
        }
      }
    });
    return Arrays.asList(hits);
  }
}
