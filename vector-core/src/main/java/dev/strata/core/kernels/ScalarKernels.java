package dev.strata.core.kernels;

/**
 * Plain Java kernels: the fallback where the Vector API is absent, and the reference the Panama
 * kernels are tested against. Four independent accumulators let the JIT pipeline the loop even
 * without SIMD.
 */
final class ScalarKernels implements KernelSupport {
  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dotProduct(float[] a, float[] b) {
    return dotProduct(a, b, 0, a.length);
  }

  static float dotProduct(float[] a, float[] b, int bOffset, int length) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (int bound = length & ~3; i < bound; i += 4) {
      s0 = Math.fma(a[i], b[bOffset + i], s0);
      s1 = Math.fma(a[i + 1], b[bOffset + i + 1], s1);
      s2 = Math.fma(a[i + 2], b[bOffset + i + 2], s2);
      s3 = Math.fma(a[i + 3], b[bOffset + i + 3], s3);
    }
    for (; i < length; i++) {
      s0 = Math.fma(a[i], b[bOffset + i], s0);
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public float cosine(float[] a, float[] b) {
    // Two interleaved sets of sums: each FMA waits for the previous one into the same sum.
    float dot0 = 0, normA0 = 0, normB0 = 0, dot1 = 0, normA1 = 0, normB1 = 0;
    int i = 0;
    for (int bound = a.length & ~1; i < bound; i += 2) {
      dot0 = Math.fma(a[i], b[i], dot0);
      normA0 = Math.fma(a[i], a[i], normA0);
      normB0 = Math.fma(b[i], b[i], normB0);
      dot1 = Math.fma(a[i + 1], b[i + 1], dot1);
      normA1 = Math.fma(a[i + 1], a[i + 1], normA1);
      normB1 = Math.fma(b[i + 1], b[i + 1], normB1);
    }
    if (i < a.length) {
      dot0 = Math.fma(a[i], b[i], dot0);
      normA0 = Math.fma(a[i], a[i], normA0);
      normB0 = Math.fma(b[i], b[i], normB0);
    }
    return (float) ((dot0 + dot1) / Math.sqrt((double) (normA0 + normA1) * (double) (normB0 + normB1)));
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    return squareDistance(a, b, 0, a.length);
  }

  static float squareDistance(float[] a, float[] b, int bOffset, int length) {
    float s0 = 0, s1 = 0;
    int i = 0;
    for (int bound = length & ~1; i < bound; i += 2) {
      float d0 = a[i] - b[bOffset + i];
      float d1 = a[i + 1] - b[bOffset + i + 1];
      s0 = Math.fma(d0, d0, s0);
      s1 = Math.fma(d1, d1, s1);
    }
    for (; i < length; i++) {
      float d = a[i] - b[bOffset + i];
      s0 = Math.fma(d, d, s0);
    }
    return s0 + s1;
  }

  @Override
  public int dotProduct(byte[] a, byte[] b) {
    int sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  @Override
  public void unsignedByteDotProducts(int[] query, byte[] vectors, int stride, int count, int[] dots) {
    for (int i = 0; i < count; i++) {
      dots[i] = unsignedDot(query, vectors, i * stride, 0);
    }
  }

  /** The dot product over {@code query[from..]} and the unsigned bytes at {@code offset + from..}. */
  static int unsignedDot(int[] query, byte[] vectors, int offset, int from) {
    int sum = 0;
    for (int d = from; d < query.length; d++) {
      sum += query[d] * Byte.toUnsignedInt(vectors[offset + d]);
    }
    return sum;
  }

  @Override
  public int hamming(long[] a, long[] b) {
    int distance = 0;
    for (int i = 0; i < a.length; i++) {
      distance += Long.bitCount(a[i] ^ b[i]); // one POPCNT instruction on x86-64 and ARMv8
    }
    return distance;
  }

  @Override
  public void dotProductBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    int dim = query.length;
    for (int r = 0; r < count; r++) {
      scores[r] = dotProduct(query, matrix, (firstRow + r) * dim, dim);
    }
  }

  @Override
  public void squareDistanceBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    int dim = query.length;
    for (int r = 0; r < count; r++) {
      scores[r] = squareDistance(query, matrix, (firstRow + r) * dim, dim);
    }
  }
}
