package dev.strata.core.internal.codecs;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.store.IOContext;

/**
 * An HNSW format that writes flushed segments without their graph and builds it when segments
 * are merged. Lucene builds a flushed segment's graph as records arrive, scoring against vectors
 * scattered on the heap; a merge builds it in one pass over the merged, memory-mapped vectors
 * with its bulk scorer, which measured 1.6x faster for the same graph (docs/BENCHMARKS.md).
 *
 * <p>Whether a segment is written flat is asked when its vectors writer opens ({@link FlatFlushes}):
 * always with deferred graphs, during a bulk load otherwise.
 *
 * <p>Both writers are Lucene's own format with the same name, one told (by Lucene's threshold for
 * tiny segments) never to build a graph; a segment without a graph is a valid segment of that
 * format, which Lucene searches exhaustively. So the index needs nothing of Strata to be read.
 */
final class DeferredGraphVectorsFormat extends KnnVectorsFormat {
  /**
   * Larger than any flushed segment's need: Lucene builds a graph only for segments with more
   * vectors than a search for this many neighbours would visit (about this times ln(n)).
   */
  static final int NO_GRAPH_THRESHOLD = 1 << 24;

  /** A segment attribute, "true" on segments flushed without their graph: a merge has none of theirs to reuse. */
  static final String FLAT_ATTRIBUTE = "strata.flat";

  private final KnnVectorsFormat merged;
  private final KnnVectorsFormat flushed;
  private final BooleanSupplier flat;

  /**
   * {@code merged} and {@code flushed}: the same format, the second built with {@link
   * #NO_GRAPH_THRESHOLD}; {@code flat}: whether a segment started now is flushed with the second.
   */
  DeferredGraphVectorsFormat(KnnVectorsFormat merged, KnnVectorsFormat flushed, BooleanSupplier flat) {
    super(merged.getName());
    if (!merged.getName().equals(flushed.getName())) {
      throw new IllegalArgumentException(merged.getName() + " != " + flushed.getName());
    }
    this.merged = merged;
    this.flushed = flushed;
    this.flat = flat;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    // Not "FLUSH": the indexing chain opens its vectors writer with the first vector, in the
    // default context, long before the segment is flushed.
    if (state.context.context() == IOContext.Context.MERGE || !flat.getAsBoolean()) {
      return merged.fieldsWriter(state);
    }
    state.segmentInfo.putAttribute(FLAT_ATTRIBUTE, "true");
    return flushed.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return merged.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return merged.getMaxDimensions(fieldName);
  }

  @Override
  public String toString() {
    return "DeferredGraph(" + merged + ")";
  }
}
