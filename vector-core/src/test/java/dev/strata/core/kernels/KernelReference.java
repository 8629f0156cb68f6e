package dev.strata.core.kernels;

import java.util.Random;

/** Double-precision references and input generators for the kernel tests. */
final class KernelReference {
  static final int[] AWKWARD_LENGTHS = {1, 13, 207, 702, 4098};

  private KernelReference() {}

  static double dotProduct(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  static double squareDistance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  static double cosine(float[] a, float[] b) {
    return dotProduct(a, b) / Math.sqrt(dotProduct(a, a) * dotProduct(b, b));
  }

  /**
   * The float32 error bound of a sum of {@code length} products: each addition may round by half
   * an ulp of the running magnitude, so the bound grows with the length and with the sum of the
   * terms' absolute values (which cancellation does not shrink).
   */
  static double tolerance(int length, double absoluteTermSum) {
    return (length + 4) * Math.ulp(1f) * absoluteTermSum + Float.MIN_NORMAL;
  }

  static double absoluteDotTerms(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((double) a[i] * b[i]);
    }
    return sum;
  }

  /** Uniform values in {@code [-scale, scale]}, with every seventh one at the extremes of the range. */
  static float[] floats(Random random, int length, float scale) {
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = i % 7 == 3 ? (random.nextBoolean() ? scale : -scale) : (random.nextFloat() * 2 - 1) * scale;
    }
    return v;
  }

  static byte[] bytes(Random random, int length) {
    byte[] v = new byte[length];
    random.nextBytes(v);
    for (int i = 0; i < length; i += 5) {
      v[i] = random.nextBoolean() ? Byte.MIN_VALUE : Byte.MAX_VALUE;
    }
    return v;
  }

  static long[] bits(Random random, int length) {
    long[] v = new long[length];
    for (int i = 0; i < length; i++) {
      v[i] = i % 3 == 0 ? -1L : random.nextLong();
    }
    return v;
  }
}
