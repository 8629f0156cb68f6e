package dev.strata.core.internal.records;

import dev.strata.core.LuceneFields;
import dev.strata.core.Similarity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** How a record is laid out in a Lucene document, and read back. */
public final class LuceneDocuments {
  public static final String ID = LuceneFields.ID;
  public static final String VECTOR = LuceneFields.VECTOR;
  public static final String TEXT = LuceneFields.TEXT;
  /**
   * The id again, as doc values: ids-only hits read it from here instead of decompressing stored
   * fields. Its own field name, because an existing index's {@link #ID} field has no doc values
   * and Lucene refuses to add a doc-values type to a field that already exists without one.
   * Documents written before it existed have none; their ids come from the stored fields.
   */
  public static final String ID_VALUES = LuceneFields.ID_VALUES;
  /** Text and metadata for hits, see {@link HitValues}. */
  public static final String HIT_VALUES = LuceneFields.HIT_VALUES;
  /** Metadata fields are prefixed so no user key can collide with the fields above. */
  static final String METADATA_PREFIX = "m.";

  private LuceneDocuments() {}

  public static Term idTerm(String id) {
    return new Term(ID, id);
  }

  public static String metadataField(String key) {
    return METADATA_PREFIX + key;
  }

  /** The document of {@code record}, written by the commit of snapshot {@code writtenIn}. */
  public static Document toDocument(
      ValidatedRecord record, VectorSimilarityFunction similarity, boolean fullText, long writtenIn) {
    Document doc = new Document();
    doc.add(new NumericDocValuesField(LuceneFields.WRITTEN_IN, writtenIn));
    if (record.source() != null) {
      doc.add(new StringField(LuceneFields.SOURCE, record.source(), Field.Store.NO));
      doc.add(new SortedDocValuesField(LuceneFields.SOURCE, new BytesRef(record.source())));
    }
    doc.add(new StringField(ID, record.id(), Field.Store.YES));
    doc.add(new BinaryDocValuesField(ID_VALUES, new BytesRef(record.id())));
    doc.add(new KnnFloatVectorField(VECTOR, record.vector(), similarity));
    doc.add(new NumericDocValuesField(
        RecordDigests.HASH_FIELD,
        RecordDigests.hash(record.id(), record.vector(), record.text(), record.metadata(), record.source())));
    doc.add(new BinaryDocValuesField(HIT_VALUES, HitValues.encode(record.text(), record.metadata())));
    if (record.text() != null) {
      doc.add(new StoredField(TEXT, record.text()));
      if (fullText) {
        doc.add(FullText.field(record.text()));
      }
    }
    record
        .metadata()
        .forEach(
            (key, value) -> {
              String field = metadataField(key);
              if (value instanceof Double d) {
                doc.add(new DoublePoint(field, d));
                doc.add(new StoredField(field, d));
              } else {
                doc.add(new StringField(field, (String) value, Field.Store.YES));
              }
            });
    return doc;
  }

  /** Metadata of a stored document: strings as strings, numbers as doubles. */
  public static Map<String, Object> metadataOf(Document doc) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (IndexableField field : doc.getFields()) {
      if (field.name().startsWith(METADATA_PREFIX)) {
        Number number = field.numericValue();
        metadata.put(
            field.name().substring(METADATA_PREFIX.length()),
            number != null ? (Object) number.doubleValue() : field.stringValue());
      }
    }
    return metadata;
  }

  public static VectorSimilarityFunction luceneSimilarity(Similarity similarity) {
    return switch (similarity) {
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
      case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
      case MAX_INNER_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    };
  }
}
