package dev.strata.embedder;

import java.util.Locale;
import java.util.Objects;

/**
 * The settings that change the vectors a model produces; they are part of its fingerprint.
 *
 * @param pooling how token vectors become one vector
 * @param normalize scale every vector to unit length
 * @param maxSequenceLength word pieces kept per text (longer texts are truncated, as
 *     sentence-transformers does; 256 for MiniLM)
 */
public record EmbeddingSettings(Pooling pooling, boolean normalize, int maxSequenceLength) {
  public static final EmbeddingSettings SENTENCE_TRANSFORMERS = new EmbeddingSettings(Pooling.MEAN, true, 256);

  public EmbeddingSettings {
    Objects.requireNonNull(pooling, "pooling");
    if (maxSequenceLength < 2 || maxSequenceLength > 8192) {
      throw new IllegalArgumentException("maxSequenceLength must be in [2, 8192], got " + maxSequenceLength);
    }
  }

  /** Stable text form hashed into the fingerprint: never reorder or rename its parts. */
  String canonical() {
    return String.format(
        Locale.ROOT, "pooling=%s;normalize=%b;maxSequenceLength=%d", pooling.name().toLowerCase(Locale.ROOT), normalize, maxSequenceLength);
  }
}
