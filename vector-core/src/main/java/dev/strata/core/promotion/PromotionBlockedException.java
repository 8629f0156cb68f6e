package dev.strata.core.promotion;

import dev.strata.core.StrataException;

/** A swap or alias change refused because the candidate snapshot failed the golden query set. */
public final class PromotionBlockedException extends StrataException {
  private final transient GoldenReport report;

  /** The promotion of {@code what} blocked by the golden set's {@code report}. */
  public PromotionBlockedException(String what, GoldenReport report) {
    super(what + " blocked: snapshot " + report.snapshotId() + " of index " + report.index()
        + " fails the golden query set captured from snapshot " + report.goldenSnapshotId() + ": "
        + String.join("; ", report.problems()) + " (check it with 'index-admin golden check', or force the change)");
    this.report = report;
  }

  /** The golden report that blocked the promotion. */
  public GoldenReport report() {
    return report;
  }
}
