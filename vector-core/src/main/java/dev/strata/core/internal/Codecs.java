package dev.strata.core.internal;

import dev.strata.core.IndexSchema;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Picks the vector format for a schema. The codec keeps Lucene's default name: the per-field
 * format name is written into each segment, so any Lucene reader opens the index without this
 * class, and lucene-backward-codecs keeps it readable after an upgrade.
 */
public final class Codecs {
  private Codecs() {}

  public static Codec forSchema(IndexSchema schema) {
    KnnVectorsFormat format = vectorsFormat(schema);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  static KnnVectorsFormat vectorsFormat(IndexSchema schema) {
    int m = schema.hnswM();
    int beam = schema.hnswBeamWidth();
    return switch (schema.encoding()) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beam);
      case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beam);
      case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beam);
      case BINARY ->
          new Lucene104HnswScalarQuantizedVectorsFormat(
              ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beam);
    };
  }
}
