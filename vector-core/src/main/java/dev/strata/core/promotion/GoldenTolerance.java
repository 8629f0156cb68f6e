package dev.strata.core.promotion;

/**
 * How much worse than the golden set a candidate snapshot may do and still be promoted.
 *
 * @param minRecall mean recall@k of the expected hits the candidate must reach, in [0, 1]
 * @param maxTop1ScoreShift how far the mean top-1 score may move, either way (a model or encoding
 *     change shows there first), >= 0
 */
public record GoldenTolerance(double minRecall, double maxTop1ScoreShift) {
  /** 90% of the trusted hits found again, mean top-1 score within 0.05. */
  public static final GoldenTolerance DEFAULT = new GoldenTolerance(0.9, 0.05);

  public GoldenTolerance {
    if (!(minRecall >= 0 && minRecall <= 1)) {
      throw new IllegalArgumentException("minRecall must be in [0, 1], got " + minRecall);
    }
    if (!(maxTop1ScoreShift >= 0) || Double.isInfinite(maxTop1ScoreShift)) {
      throw new IllegalArgumentException("maxTop1ScoreShift must be a finite number >= 0, got " + maxTop1ScoreShift);
    }
  }
}
