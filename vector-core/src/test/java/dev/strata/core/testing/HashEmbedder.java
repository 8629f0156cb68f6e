package dev.strata.core.testing;

import dev.strata.core.Embedder;
import dev.strata.core.ModelFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic stand-in for a model, for vector-core tests that need an {@link Embedder} (the
 * ONNX one lives in a module that depends on this one): each text maps to a pseudo-random vector
 * seeded by the text and the model's name, so two "models" disagree as two real ones would.
 */
public final class HashEmbedder implements Embedder {
  private final ModelFingerprint fingerprint;
  private final int dimension;

  public HashEmbedder(ModelFingerprint fingerprint, int dimension) {
    this.fingerprint = fingerprint;
    this.dimension = dimension;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      Random random = new Random(text.hashCode() * 31L + fingerprint.name().hashCode());
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = (float) random.nextGaussian();
      }
      out.add(v);
    }
    return out;
  }

  @Override
  public void close() {}
}
