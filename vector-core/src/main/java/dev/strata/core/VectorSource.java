package dev.strata.core;

import java.util.Objects;

/**
 * Where raw vectors handed to an index came from. An index with a model fingerprint accepts
 * vectors only from that model, or with an explicit, logged opt-out.
 */
public sealed interface VectorSource {

  /** Nothing said: accepted only by an index that has no model fingerprint. */
  VectorSource UNSTATED = new Unstated();

  /** The vectors were made by the model with this fingerprint. */
  static VectorSource model(ModelFingerprint fingerprint) {
    return new Model(fingerprint);
  }

  /** Skip the drift guard, for a reason that is logged (e.g. "vectors imported from backup"). */
  static VectorSource unchecked(String reason) {
    return new Unchecked(reason);
  }

  /** Vectors whose model the caller does not say: refused by an index that records its model. */
  record Unstated() implements VectorSource {}

  /**
   * Vectors from the model {@code fingerprint} names, checked against the index's.
   *
   * @param fingerprint the model's fingerprint
   */
  record Model(ModelFingerprint fingerprint) implements VectorSource {
    public Model {
      Objects.requireNonNull(fingerprint, "fingerprint");
    }
  }

  /**
   * Vectors let through without the check, the reason logged once.
   *
   * @param reason why the caller skips the check, for the log
   */
  record Unchecked(String reason) implements VectorSource {
    public Unchecked {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("an unchecked vector source needs a reason for the log");
      }
    }
  }
}
