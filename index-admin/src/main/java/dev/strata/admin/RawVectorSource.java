package dev.strata.admin;

import dev.strata.core.ModelFingerprint;
import dev.strata.core.VectorSource;
import picocli.CommandLine.Option;

/**
 * For raw vectors given to an index built with a model: name the model that made them, or opt
 * out of the drift guard with a reason that is logged.
 */
final class RawVectorSource {
  @Option(
      names = "--model-fingerprint",
      paramLabel = "FINGERPRINT",
      description = "The model the vectors come from (name@sha256:...), checked against the index's.")
  String fingerprint;

  @Option(
      names = "--unchecked-model",
      paramLabel = "REASON",
      description = "Skip the model check for these vectors; the reason is logged.")
  String uncheckedReason;

  VectorSource source() {
    if (fingerprint != null && uncheckedReason != null) {
      throw new IllegalArgumentException("give --model-fingerprint or --unchecked-model, not both");
    }
    if (fingerprint != null) {
      return VectorSource.model(ModelFingerprint.parse(fingerprint));
    }
    return uncheckedReason != null ? VectorSource.unchecked(uncheckedReason) : VectorSource.UNSTATED;
  }
}
