package dev.strata.core;

/**
 * How a hybrid search merges its two ranked lists, the vector hits and the BM25 hits, into one.
 *
 * <ul>
 *   <li>{@link #reciprocalRank(int)}: each list adds {@code 1 / (rankConstant + rank)} for a
 *       document it holds (ranks from 1). Needs no score calibration, so it is the default, with
 *       the constant 60 of Cormack et al. (2009), also Elasticsearch's and OpenSearch's default.
 *   <li>{@link #weighted(float)}: each list's scores are min-max normalised to [0, 1] and added
 *       with weights {@code vectorWeight} and {@code 1 - vectorWeight}; a document missing from a
 *       list gets 0 from it.
 * </ul>
 *
 * @param kind which of the two
 * @param rankConstant for reciprocal rank fusion, at least 1
 * @param vectorWeight for weighted fusion, in [0, 1]
 */
public record Fusion(Kind kind, int rankConstant, float vectorWeight) {
  public static final int DEFAULT_RANK_CONSTANT = 60;
  public static final Fusion DEFAULT = reciprocalRank(DEFAULT_RANK_CONSTANT);

  /** How two ranked lists are fused. */
  public enum Kind {
    RECIPROCAL_RANK,
    WEIGHTED
  }

  public Fusion {
    if (kind == null) {
      throw new IllegalArgumentException("fusion kind must not be null");
    }
    if (rankConstant < 1) {
      throw new IllegalArgumentException("rankConstant must be at least 1, got " + rankConstant);
    }
    if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
      throw new IllegalArgumentException("vectorWeight must be in [0, 1], got " + vectorWeight);
    }
  }

  /** Reciprocal rank fusion: each list adds {@code 1 / (rankConstant + rank)}. */
  public static Fusion reciprocalRank(int rankConstant) {
    return new Fusion(Kind.RECIPROCAL_RANK, rankConstant, 0.5f);
  }

  /**
   * Weighted fusion of min-max normalised scores: {@code vectorWeight} for the vector list, the
   * rest for BM25.
   */
  public static Fusion weighted(float vectorWeight) {
    return new Fusion(Kind.WEIGHTED, DEFAULT_RANK_CONSTANT, vectorWeight);
  }
}
