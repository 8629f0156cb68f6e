package dev.strata.admin;

import dev.strata.core.Fusion;
import picocli.CommandLine.Option;

/** {@code --fusion} and {@code --vector-weight}: how a hybrid search merges vector and BM25 hits. */
final class FusionOptions {
  /** How the two ranked lists merge. */
  enum Kind { RRF, WEIGHTED }

  @Option(names = "--fusion", defaultValue = "rrf", completionCandidates = Choices.FusionKinds.class,
      description = "Hybrid fusion, one of ${COMPLETION-CANDIDATES}: rrf (reciprocal rank, constant 60) or weighted"
          + " (min-max normalised scores) (default: ${DEFAULT-VALUE}).")
  Kind fusion;

  @Option(names = "--vector-weight", defaultValue = "0.5",
      description = "Weighted fusion: the vector hits' weight in [0, 1]; BM25 gets the rest (default: ${DEFAULT-VALUE}).")
  float vectorWeight;

  Fusion fusion() {
    return switch (fusion) {
      case RRF -> Fusion.DEFAULT;
      case WEIGHTED -> Fusion.weighted(vectorWeight);
    };
  }

  String name() {
    return Choices.name(fusion);
  }
}
