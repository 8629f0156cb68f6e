package dev.strata.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How vectors are compared. Scores follow Lucene's convention: higher is better, and for
 * {@link #COSINE} and {@link #DOT_PRODUCT} a score is {@code (1 + similarity) / 2}, so it lies in
 * [0, 1] (the same "relevance score" LangChain4j uses).
 */
public enum Similarity {
  /** Angle between vectors; any non-zero vector is accepted. */
  COSINE,
  /** Inner product of unit vectors; vectors must have length 1 (or the schema normalises them). */
  DOT_PRODUCT,
  /** Negative squared Euclidean distance, scored as {@code 1 / (1 + d²)}. */
  EUCLIDEAN,
  /** Inner product of vectors of any length. */
  MAX_INNER_PRODUCT;

  /** The lower-case name used in the CLI, JSON and the index's commit data. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code cosine}, {@code dot_product}, {@code euclidean} or {@code max_inner_product}. */
  public static Similarity parse(String name) {
    for (Similarity s : values()) {
      if (s.externalName().equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown similarity '" + name + "'; expected one of " + externalNames());
  }

  static String externalNames() {
    return Arrays.stream(values()).map(Similarity::externalName).collect(Collectors.joining(", "));
  }
}
