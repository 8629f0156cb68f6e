package dev.strata.core.testing;

import java.nio.charset.StandardCharsets;

/**
 * Character trigrams hashed into a unit vector: a "model" with no native code whose vectors still
 * rank texts that share words above texts that do not, for tests of adapters on a classpath
 * without ONNX Runtime.
 */
public final class TrigramVectors {
  private TrigramVectors() {}

  /** The unit vector of {@code text}'s trigrams in {@code dimension} buckets. */
  public static float[] of(String text, int dimension) {
    byte[] bytes = (" " + text + " ").getBytes(StandardCharsets.UTF_8);
    float[] v = new float[dimension];
    for (int i = 0; i + 3 <= bytes.length; i++) {
      v[Math.floorMod(bytes[i] * 961 + bytes[i + 1] * 31 + bytes[i + 2], dimension)] += 1;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
