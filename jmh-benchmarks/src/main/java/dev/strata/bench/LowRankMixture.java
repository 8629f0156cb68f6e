package dev.strata.bench;

import java.util.Random;

/**
 * A low-rank Gaussian mixture, the kind of set issue 35 measured Strata behind hnswlib on at 1M:
 * {@code components} centres drawn from N(0, I), and around each, points spread in a random
 * {@code rank}-dimensional subspace of its own (per-coordinate variance about 1, like the centres)
 * plus isotropic noise of {@code noise} per coordinate. Seeded: the same arguments give the same
 * vectors, so the set never has to be stored. Harder for a graph than isotropic clusters: inside a
 * component the neighbours lie along a few directions only.
 */
final class LowRankMixture {
  private LowRankMixture() {}

  static float[][] generate(long seed, int n, int dim, int components, int rank, double noise) {
    Random random = new Random(seed);
    float[][] centres = new float[components][dim];
    float[][][] bases = new float[components][rank][dim];
    double basisScale = 1 / Math.sqrt(rank);
    for (int c = 0; c < components; c++) {
      for (int d = 0; d < dim; d++) {
        centres[c][d] = (float) random.nextGaussian();
      }
      for (int r = 0; r < rank; r++) {
        for (int d = 0; d < dim; d++) {
          bases[c][r][d] = (float) (random.nextGaussian() * basisScale);
        }
      }
    }
    float[][] out = new float[n][dim];
    double[] z = new double[rank];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(components);
      for (int r = 0; r < rank; r++) {
        z[r] = random.nextGaussian();
      }
      float[] v = out[i];
      for (int d = 0; d < dim; d++) {
        double x = centres[c][d] + noise * random.nextGaussian();
        for (int r = 0; r < rank; r++) {
          x += z[r] * bases[c][r][d];
        }
        v[d] = (float) x;
      }
    }
    return out;
  }
}
