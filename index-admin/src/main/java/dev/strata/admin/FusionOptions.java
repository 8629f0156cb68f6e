package dev.strata.admin;

import dev.strata.core.Fusion;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --fusion} and {@code --vector-weight}: how a hybrid search merges vector and BM25 hits. */
final class FusionOptions {
  @Option(names = "--fusion", defaultValue = "rrf",
      description = "Hybrid fusion: rrf (reciprocal rank, constant 60) or weighted (min-max normalised scores) (default: ${DEFAULT-VALUE}).")
  String fusion;

  @Option(names = "--vector-weight", defaultValue = "0.5",
      description = "Weighted fusion: the vector hits' weight in [0, 1]; BM25 gets the rest (default: ${DEFAULT-VALUE}).")
  float vectorWeight;

  Fusion fusion() {
    return switch (fusion.toLowerCase(Locale.ROOT)) {
      case "rrf" -> Fusion.DEFAULT;
      case "weighted" -> Fusion.weighted(vectorWeight);
      default -> throw new IllegalArgumentException("unknown --fusion '" + fusion + "'; expected rrf or weighted");
    };
  }

  String name() {
    return fusion.toLowerCase(Locale.ROOT);
  }
}
