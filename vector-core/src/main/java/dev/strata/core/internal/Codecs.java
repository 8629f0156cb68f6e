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
    return forSchema(schema, false);
  }

  /**
   * With {@code deferGraphs}, flushed segments are written without their HNSW graph, which the
   * next merge of them (a compaction, a background merge) builds: see {@link DeferredGraphVectorsFormat}.
   */
  public static Codec forSchema(IndexSchema schema, boolean deferGraphs) {
    KnnVectorsFormat format = deferGraphs
        ? new DeferredGraphVectorsFormat(vectorsFormat(schema), vectorsFormat(schema, DeferredGraphVectorsFormat.NO_GRAPH_THRESHOLD))
        : vectorsFormat(schema);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  static KnnVectorsFormat vectorsFormat(IndexSchema schema) {
    return vectorsFormat(schema, Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD);
  }

  /** {@code graphThreshold}: Lucene's threshold under which a segment gets no graph (its default: 100). */
  private static KnnVectorsFormat vectorsFormat(IndexSchema schema, int graphThreshold) {
    int m = schema.hnswM();
    int beam = schema.hnswBeamWidth();
    int workers = Lucene99HnswVectorsFormat.DEFAULT_NUM_MERGE_WORKER;
    return switch (schema.encoding()) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beam, workers, null, graphThreshold);
      case INT8 -> quantized(ScalarEncoding.UNSIGNED_BYTE, m, beam, graphThreshold);
      case INT4 -> quantized(ScalarEncoding.PACKED_NIBBLE, m, beam, graphThreshold);
      case BINARY -> quantized(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beam, graphThreshold);
    };
  }

  private static KnnVectorsFormat quantized(ScalarEncoding encoding, int m, int beam, int graphThreshold) {
    return new Lucene104HnswScalarQuantizedVectorsFormat(
        encoding, m, beam, Lucene99HnswVectorsFormat.DEFAULT_NUM_MERGE_WORKER, null, graphThreshold);
  }
}
