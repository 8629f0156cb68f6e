package dev.strata.core;

import java.nio.file.Path;

/**
 * Vectors from one embedding model were about to meet an index built with another. Mixing them
 * returns plausible nonsense, so Strata refuses; re-embedding into a new index is the way to change
 * models.
 */
public final class EmbeddingDriftException extends StrataException {
  private final String indexFingerprint;
  private final String callerFingerprint;

  /**
   * A refusal of {@code what} on {@code index}, built with {@code indexFingerprint}, by a caller
   * with {@code callerFingerprint} (null: unstated).
   */
  public EmbeddingDriftException(Path index, String indexFingerprint, String callerFingerprint, String what) {
    this(String.valueOf(index), indexFingerprint, callerFingerprint, what);
  }

  /**
   * @param index where the index lives: a directory, or a remote index such as {@code opensearch
   * index NAME}
   */
  public EmbeddingDriftException(String index, String indexFingerprint, String callerFingerprint, String what) {
    super(
        what + " refused: index " + index + " was built with model " + describe(indexFingerprint)
            + ", but the vectors come from " + describe(callerFingerprint)
            + (callerFingerprint == null
                ? "; state the model that made them (VectorSource.model, or --model-fingerprint in"
                    + " the CLI) or opt out explicitly (VectorSource.unchecked)"
                : "; re-embed into a new index to change models"));
    this.indexFingerprint = indexFingerprint;
    this.callerFingerprint = callerFingerprint;
  }

  /** The model fingerprint the index records. */
  public String indexFingerprint() {
    return indexFingerprint;
  }

  /** The caller's model fingerprint; null when the caller did not state one. */
  public String callerFingerprint() {
    return callerFingerprint;
  }

  private static String describe(String encoded) {
    if (encoded == null) {
      return "an unstated model";
    }
    try {
      return ModelFingerprint.parse(encoded).shortForm();
    } catch (IllegalArgumentException e) {
      return "'" + encoded + "'";
    }
  }
}
