package dev.strata.core.internal.search;

import dev.strata.core.kernels.VectorKernels;
import java.io.IOException;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsReader;
import org.apache.lucene.codecs.lucene104.OffHeapScalarQuantizedVectorValues;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The int8 graph walk's scorer: the same scores as Lucene 10.6's {@code
 * Lucene104ScalarQuantizedVectorScorer}, bit for bit, but in bulk. Lucene's scorer reads one
 * vector, then its corrective terms, then scores it, so each vector's trip from memory waits on the
 * last; this one reads four vectors with their terms (one positional read each) and scores the
 * four side by side ({@link VectorKernels#unsignedByteDotProducts}), so their loads overlap. In a
 * probe over random vectors a walk on it took 0.65-0.80x the float32 walk's time (Lucene's int8
 * scorer 0.92-1.05x); end to end it brought int8 level with float32 on clustered vectors and to
 * 0.8x of it on real passages (docs/benchmarks-history.md, 2026-12-08): the gain is memory
 * traffic, and per dimension an int8 product costs more instructions than a float FMA.
 *
 * <p>The layout read (Lucene104's, per vector): the quantized bytes, then the lower and upper
 * interval and the additional correction as little-endian floats, then the quantized component sum
 * as an int. {@link #of} returns null for any other encoding (int4, binary), and the caller takes
 * Lucene's scorer.
 */
final class Int8GraphScorer extends RandomVectorScorer.AbstractRandomVectorScorer {
  private static final int TERMS_BYTES = 3 * Float.BYTES + Integer.BYTES;
  private static final int BATCH = 4;
  private static final float SCALE = 1f / 255; // 8 bits on both sides

  private final RandomAccessInput vectors;
  private final int bytes;
  private final int stride;
  private final VectorSimilarityFunction similarity;
  private final int[] query;
  private final OptimizedScalarQuantizer.QuantizationResult queryTerms;
  private final float centroidDp;
  private final byte[] batch;
  private final int[] dots = new int[BATCH];

  private Int8GraphScorer(OffHeapScalarQuantizedVectorValues values, RandomAccessInput vectors,
      VectorSimilarityFunction similarity, int[] query, OptimizedScalarQuantizer.QuantizationResult queryTerms) {
    super(values);
    this.vectors = vectors;
    this.bytes = values.getVectorByteLength();
    this.stride = bytes + TERMS_BYTES;
    this.similarity = similarity;
    this.query = query;
    this.queryTerms = queryTerms;
    this.centroidDp = values.getCentroidDP();
    this.batch = new byte[BATCH * stride];
  }

  /** The scorer for {@code target} on {@code field}'s int8 vectors, or null where Lucene's must serve. */
  static RandomVectorScorer of(Lucene99HnswVectorsReader hnsw, String field, VectorSimilarityFunction similarity,
      float[] target) throws IOException {
    if (!(hnsw.getFlatVectorsReader() instanceof Lucene104ScalarQuantizedVectorsReader quantized)
        || !(quantized.getQuantizedVectorValues(field) instanceof OffHeapScalarQuantizedVectorValues values)
        || values.getScalarEncoding() != ScalarEncoding.UNSIGNED_BYTE
        || values.getVectorByteLength() != values.dimension()) {
      return null;
    }
    IndexInput slice = values.getSlice();
    RandomAccessInput vectors = slice instanceof RandomAccessInput direct ? direct : slice.randomAccessSlice(0, slice.length());
    // Quantized as Lucene quantizes a query: a copy (quantizing mutates it), normalised for cosine.
    float[] copy = ArrayUtil.copyOfSubArray(target, 0, target.length);
    if (similarity == VectorSimilarityFunction.COSINE) {
      VectorUtil.l2normalize(copy);
    }
    byte[] quantizedQuery = new byte[values.dimension()];
    OptimizedScalarQuantizer.QuantizationResult terms = values.getQuantizer()
        .scalarQuantize(copy, quantizedQuery, ScalarEncoding.UNSIGNED_BYTE.getQueryBits(), values.getCentroid());
    int[] widened = new int[quantizedQuery.length];
    for (int d = 0; d < widened.length; d++) {
      widened[d] = Byte.toUnsignedInt(quantizedQuery[d]);
    }
    return new Int8GraphScorer(values, vectors, similarity, widened, terms);
  }

  @Override
  public float score(int node) throws IOException {
    vectors.readBytes((long) node * stride, batch, 0, stride);
    VectorKernels.unsignedByteDotProducts(query, batch, stride, 1, dots);
    return corrected(0, dots[0]);
  }

  @Override
  public float bulkScore(int[] nodes, float[] scores, int numNodes) throws IOException {
    float max = Float.NEGATIVE_INFINITY;
    for (int from = 0; from < numNodes; from += BATCH) {
      int count = Math.min(BATCH, numNodes - from);
      for (int i = 0; i < count; i++) {
        vectors.readBytes((long) nodes[from + i] * stride, batch, i * stride, stride);
      }
      VectorKernels.unsignedByteDotProducts(query, batch, stride, count, dots);
      for (int i = 0; i < count; i++) {
        scores[from + i] = corrected(i * stride, dots[i]);
        max = Math.max(max, scores[from + i]);
      }
    }
    return max;
  }

  /** Lucene104's correction of the integer dot product into a similarity, term for term. */
  private float corrected(int vectorOffset, int dot) {
    int terms = vectorOffset + bytes;
    float ax = (float) BitUtil.VH_LE_FLOAT.get(batch, terms);
    float lx = ((float) BitUtil.VH_LE_FLOAT.get(batch, terms + 4) - ax) * SCALE;
    float additional = (float) BitUtil.VH_LE_FLOAT.get(batch, terms + 8);
    float x1 = (int) BitUtil.VH_LE_INT.get(batch, terms + 12);
    float ay = queryTerms.lowerInterval();
    float ly = (queryTerms.upperInterval() - ay) * SCALE;
    float y1 = queryTerms.quantizedComponentSum();
    float score = ax * ay * query.length + ay * lx * x1 + ax * ly * y1 + lx * ly * dot;
    if (similarity == VectorSimilarityFunction.EUCLIDEAN) {
      score = queryTerms.additionalCorrection() + additional - 2 * score;
      return Math.max(1 / (1f + score), 0);
    }
    score += queryTerms.additionalCorrection() + additional - centroidDp;
    if (similarity == VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT) {
      return VectorUtil.scaleMaxInnerProductScore(score);
    }
    return Math.max((1f + score) / 2f, 0);
  }
}
