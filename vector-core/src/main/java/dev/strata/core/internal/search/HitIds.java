package dev.strata.core.internal.search;

import dev.strata.core.Hit;
import dev.strata.core.Provenance;
import dev.strata.core.internal.records.HitValues;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.ProvenanceValues;
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
public final class HitIds {
  private static final Set<String> ID_ONLY = Set.of(LuceneDocuments.ID);

  private HitIds() {}

  /** The ids of the first {@code n} of {@code ranked}, in rank order. */
  static String[] of(IndexReader reader, ScoreDoc[] ranked, int n) throws IOException {
    String[] ids = new String[n];
    read(reader, ranked, n, false, (segment, doc, rank) -> {
      String id = segment.id(doc);
      ids[rank] = id != null ? id : segment.stored().document(doc, ID_ONLY).get(LuceneDocuments.ID);
    });
    return ids;
  }

  /** The first {@code n} of {@code ranked} as hits with their text and metadata, in rank order. */
  public static List<Hit> withTextAndMetadata(IndexReader reader, ScoreDoc[] ranked, int n) throws IOException {
    Hit[] hits = new Hit[n];
    read(reader, ranked, n, true, (segment, doc, rank) -> {
      float score = ranked[rank].score;
      HitValues.TextAndMetadata fast = segment.textAndMetadata(doc);
      String id = fast == null ? null : segment.id(doc);
      if (id != null) {
        hits[rank] = new Hit(id, score, fast.text(), fast.metadata());
      } else {
        Document d = segment.stored().document(doc);
        hits[rank] = new Hit(d.get(LuceneDocuments.ID), score, d.get(LuceneDocuments.TEXT), LuceneDocuments.metadataOf(d));
      }
    });
    return Arrays.asList(hits);
  }

  /** {@code hits}, the first of {@code ranked}, each with its provenance, {@code model} the index's. */
  static List<Hit> withProvenance(IndexReader reader, ScoreDoc[] ranked, List<Hit> hits, String model)
      throws IOException {
    Hit[] with = hits.toArray(new Hit[0]);
    RankedDocs.inDocOrder(reader, ranked, with.length, new RankedDocs.Visitor() {
      private ProvenanceValues values;

      @Override
      public void segment(LeafReaderContext leaf) throws IOException {
        values = new ProvenanceValues(leaf.reader());
      }

      @Override
      public void document(int doc, int rank) throws IOException {
        with[rank] = with[rank].withProvenance(new Provenance(values.writtenIn(doc), values.source(doc), model));
      }
    });
    return Arrays.asList(with);
  }

  private interface HitReader {
    void read(SegmentFields segment, int doc, int rank) throws IOException;
  }

  private static void read(IndexReader reader, ScoreDoc[] ranked, int n, boolean withTextAndMetadata, HitReader hit)
      throws IOException {
    RankedDocs.inDocOrder(reader, ranked, n, new RankedDocs.Visitor() {
      private SegmentFields fields;

      @Override
      public void segment(LeafReaderContext leaf) throws IOException {
        fields = new SegmentFields(leaf, withTextAndMetadata);
      }

      @Override
      public void document(int doc, int rank) throws IOException {
        hit.read(fields, doc, rank);
      }
    });
  }

  /**
   * One segment's doc values for hits, read forward only, and its stored fields, opened only when
   * a hit needs them.
   */
  private static final class SegmentFields {
    private final LeafReaderContext leaf;
    private final BinaryDocValues ids;
    private final BinaryDocValues values; // null when only ids are read, or the segment has none
    private StoredFields stored;

    SegmentFields(LeafReaderContext leaf, boolean withTextAndMetadata) throws IOException {
      this.leaf = leaf;
      this.ids = leaf.reader().getBinaryDocValues(LuceneDocuments.ID_VALUES);
      this.values = withTextAndMetadata ? leaf.reader().getBinaryDocValues(LuceneDocuments.HIT_VALUES) : null;
    }

    /** The id from doc values, or null when {@code doc} has none. */
    String id(int doc) throws IOException {
      return ids != null && ids.advanceExact(doc) ? ids.binaryValue().utf8ToString() : null;
    }

    /** Text and metadata from doc values, or null when {@code doc} keeps them in the stored fields only. */
    HitValues.TextAndMetadata textAndMetadata(int doc) throws IOException {
      return values != null && values.advanceExact(doc) ? HitValues.decode(values.binaryValue()) : null;
    }

    StoredFields stored() throws IOException {
      if (stored == null) {
        stored = leaf.reader().storedFields();
      }
      return stored;
    }
  }
}
