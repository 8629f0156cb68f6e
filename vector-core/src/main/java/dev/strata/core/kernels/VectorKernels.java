package dev.strata.core.kernels;

/**
 * Distance kernels: SIMD through the Vector API where the JVM runs with {@code --add-modules
 * jdk.incubator.vector}, plain Java otherwise. The choice is made once and logged in one line;
 * {@link #provider()} names it. Force the plain code with {@code -Dstrata.kernels=scalar}.
 *
 * <p>This facade checks lengths and offsets and names both in its errors; the kernels behind it
 * trust their input. Thread-safe and allocation-free.
 */
public final class VectorKernels {
  private static final KernelSupport KERNELS = KernelProvider.INSTANCE;

  private VectorKernels() {}

  /** {@code panama} or {@code scalar}. */
  public static String provider() {
    return KERNELS.name();
  }

  /** The plain-Java kernels, whichever provider is in use: the reference for tests and benchmarks. */
  static KernelSupport scalar() {
    return ScalarKernels.INSTANCE;
  }

  static KernelSupport active() {
    return KERNELS;
  }

  /** The dot product of {@code a} and {@code b}, with the fastest kernels this JVM has. */
  public static float dotProduct(float[] a, float[] b) {
    checkLengths(a.length, b.length);
    return KERNELS.dotProduct(a, b);
  }

  /** Cosine of the angle between {@code a} and {@code b}; NaN if either is all zeros. */
  public static float cosine(float[] a, float[] b) {
    checkLengths(a.length, b.length);
    return KERNELS.cosine(a, b);
  }

  /** The squared Euclidean distance between {@code a} and {@code b}. */
  public static float squareDistance(float[] a, float[] b) {
    checkLengths(a.length, b.length);
    return KERNELS.squareDistance(a, b);
  }

  /** Dot product of two int8 vectors, exact in 32-bit arithmetic up to 131,072 dimensions. */
  public static int dotProduct(byte[] a, byte[] b) {
    checkLengths(a.length, b.length);
    return KERNELS.dotProduct(a, b);
  }

  /** Number of differing bits between two bit vectors packed 64 to a long. */
  public static int hamming(long[] a, long[] b) {
    checkLengths(a.length, b.length);
    return KERNELS.hamming(a, b);
  }

  /**
   * Scores one query against {@code count} stored vectors at once: {@code scores[r]} becomes the
   * dot product of {@code query} with row {@code firstRow + r} of {@code matrix}, whose rows are
   * {@code query.length} floats each, packed one after another.
   */
  public static void dotProductBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    checkBatch(query, matrix, firstRow, count, scores);
    KERNELS.dotProductBatch(query, matrix, firstRow, count, scores);
  }

  /** As {@link #dotProductBatch}, with the squared Euclidean distance. */
  public static void squareDistanceBatch(
      float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    checkBatch(query, matrix, firstRow, count, scores);
    KERNELS.squareDistanceBatch(query, matrix, firstRow, count, scores);
  }

  /**
   * Scores one query against {@code count} stored vectors of unsigned bytes at once: {@code
   * dots[i]} becomes the dot product of {@code query} with the {@code query.length} bytes of {@code
   * vectors} from offset {@code i * stride}, each byte read as 0-255 (the stride may be longer than
   * a vector: a quantized vector followed by its corrective terms, say). Exact in 32-bit arithmetic
   * while every query value is 0-255 and {@code query.length} is at most 33,000.
   *
   * @throws IllegalArgumentException if the vectors would end past {@code vectors} or {@code count}
   *     exceeds {@code dots}
   */
  public static void unsignedByteDotProducts(int[] query, byte[] vectors, int stride, int count, int[] dots) {
    if (stride < query.length) {
      throw new IllegalArgumentException("stride " + stride + " is shorter than the query's " + query.length + " values");
    }
    if (count < 0 || count > dots.length) {
      throw new IllegalArgumentException("count " + count + " outside dots' " + dots.length + " slots");
    }
    if (count > 0 && (count - 1L) * stride + query.length > vectors.length) {
      throw new IllegalArgumentException(
          count + " vectors of stride " + stride + " end past the array's " + vectors.length + " bytes");
    }
    KERNELS.unsignedByteDotProducts(query, vectors, stride, count, dots);
  }

  private static void checkLengths(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("vector lengths differ: " + a + " != " + b);
    }
  }

  private static void checkBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    int dim = query.length;
    if (dim == 0) {
      throw new IllegalArgumentException("query has no components");
    }
    if (matrix.length % dim != 0) {
      throw new IllegalArgumentException(
          "matrix length " + matrix.length + " is not a multiple of the query length " + dim);
    }
    long rows = matrix.length / dim;
    if (firstRow < 0 || count < 0 || firstRow + (long) count > rows) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + (firstRow + (long) count) + ") outside the matrix's " + rows + " rows");
    }
    if (scores.length < count) {
      throw new IllegalArgumentException("scores has " + scores.length + " slots for " + count + " rows");
    }
  }
}
