package dev.strata.core.testing;

import java.util.Random;

/**
 * Seeded vectors drawn around random centroids, which is how real embeddings look (topics), and
 * harder for a graph than uniform noise because neighbourhoods are dense.
 */
public final class ClusteredVectors {
  private ClusteredVectors() {}

  public static float[][] generate(long seed, int count, int dimension, int clusters) {
    Random random = new Random(seed);
    float[][] centroids = new float[clusters][dimension];
    for (float[] c : centroids) {
      for (int i = 0; i < dimension; i++) {
        c[i] = (float) random.nextGaussian();
      }
    }
    float[][] vectors = new float[count][];
    for (int n = 0; n < count; n++) {
      float[] c = centroids[random.nextInt(clusters)];
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = c[i] + 0.5f * (float) random.nextGaussian();
      }
      vectors[n] = v;
    }
    return vectors;
  }

  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    float[] unit = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = (float) (v[i] / norm);
    }
    return unit;
  }

  public static float[][] normalizeAll(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = normalize(vectors[i]);
    }
    return out;
  }
}
