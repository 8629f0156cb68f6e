package dev.strata.core.kernels;

/**
 * The distance kernels one implementation provides. Kernels trust their input: {@link
 * VectorKernels} checks lengths and offsets before it calls them.
 */
interface KernelSupport {
  /** A short name for logs and benchmarks: {@code scalar} or {@code panama}. */
  String name();

  float dotProduct(float[] a, float[] b);

  float cosine(float[] a, float[] b);

  float squareDistance(float[] a, float[] b);

  int dotProduct(byte[] a, byte[] b);

  int hamming(long[] a, long[] b);

  /**
   * Dot product of {@code query} with {@code count} rows of {@code matrix} starting at row {@code
   * firstRow}.
   */
  void dotProductBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores);

  void squareDistanceBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores);

  /**
   * {@code dots[i]} = the dot product of {@code query} with the {@code query.length} unsigned bytes
   * of {@code vectors} from offset {@code i * stride}, for {@code i < count}.
   */
  void unsignedByteDotProducts(int[] query, byte[] vectors, int stride, int count, int[] dots);
}
