package dev.strata.embedder;

import java.nio.FloatBuffer;

/** Turns a model's token vectors ([batch, sequence, dimension]) into one vector per text. */
final class Pooler {
  private Pooler() {}

  static float[] pool(FloatBuffer hidden, int row, int sequence, int dimension, long[] mask, EmbeddingSettings settings) {
    float[] out = new float[dimension];
    int rowStart = row * sequence * dimension;
    if (settings.pooling() == Pooling.CLS) {
      hidden.get(rowStart, out, 0, dimension);
    } else {
      int tokens = 0;
      for (int t = 0; t < sequence; t++) {
        if (mask[t] == 0) {
          continue;
        }
        tokens++;
        int offset = rowStart + t * dimension;
        for (int d = 0; d < dimension; d++) {
          out[d] += hidden.get(offset + d);
        }
      }
      float scale = 1f / Math.max(tokens, 1);
      for (int d = 0; d < dimension; d++) {
        out[d] *= scale;
      }
    }
    if (settings.normalize()) {
      normalize(out);
    }
    return out;
  }

  static void normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    // sentence-transformers divides by max(norm, 1e-12): a zero vector stays zero.
    double norm = Math.max(Math.sqrt(sum), 1e-12);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
  }
}
