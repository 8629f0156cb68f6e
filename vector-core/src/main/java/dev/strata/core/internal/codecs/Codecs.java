package dev.strata.core.internal.codecs;

import dev.strata.core.IndexSchema;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
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
    return forSchema(schema, () -> false, 1);
  }

  /** {@link #forSchema(IndexSchema, BooleanSupplier, int)} with flat flushes always or never. */
  public static Codec forSchema(IndexSchema schema, boolean deferGraphs, int mergeWorkers) {
    return forSchema(schema, () -> deferGraphs, mergeWorkers);
  }

  /**
   * Segments started while {@code flatFlushes} says so are flushed without their HNSW graph, which
   * the next merge of them (a compaction, a background merge, a graph build) builds: see {@link
   * DeferredGraphVectorsFormat}.
   * A merge builds its graph with {@code mergeWorkers} threads ({@link HnswMergeWorkers}); a flush
   * always with one.
   */
  public static Codec forSchema(IndexSchema schema, BooleanSupplier flatFlushes, int mergeWorkers) {
    KnnVectorsFormat format = new DeferredGraphVectorsFormat(
        vectorsFormat(schema, Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD, mergeWorkers),
        vectorsFormat(schema, DeferredGraphVectorsFormat.NO_GRAPH_THRESHOLD, mergeWorkers), flatFlushes);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  static KnnVectorsFormat vectorsFormat(IndexSchema schema) {
    return vectorsFormat(schema, Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD, 1);
  }

  /**
   * {@code graphThreshold}: Lucene's threshold under which a segment gets no graph (its default:
   * 100). {@code mergeWorkers} above one hands a merge's graph build to Lucene's concurrent HNSW
   * merge on the shared {@link HnswMergeWorkers} pool.
   */
  private static KnnVectorsFormat vectorsFormat(IndexSchema schema, int graphThreshold, int mergeWorkers) {
    int m = schema.hnswM();
    int beam = schema.hnswBeamWidth();
    int workers = Math.max(1, mergeWorkers);
    ExecutorService executor = workers > 1 ? HnswMergeWorkers.executor() : null;
    return switch (schema.encoding()) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beam, workers, executor, graphThreshold);
      case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beam, workers, executor, graphThreshold);
      case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beam, workers, executor, graphThreshold);
      case BINARY -> new Lucene104HnswScalarQuantizedVectorsFormat(
          ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beam, workers, executor, graphThreshold);
    };
  }
}
