package dev.strata.core.promotion;

import dev.strata.core.Embedder;
import dev.strata.core.IndexOptions;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The check before a promotion: the candidate snapshot must pass the golden set stored with the
 * trusted index (the one serving now), or, for a first promotion, with the candidate's own index,
 * within the tolerance stored with the set. No golden set, no check.
 */
public final class PromotionGate {
  private PromotionGate() {}

  /**
   * Checks snapshot {@code snapshot} (id, tag, or {@code null} for the latest) of {@code candidate}.
   *
   * @param trusted the index serving now, or {@code null} when there is none
   * @return the report, or empty when neither index holds a golden set
   * @throws PromotionBlockedException when the candidate fails
   */
  public static Optional<GoldenReport> check(Path trusted, Path candidate, String snapshot, String what) {
    return check(trusted, candidate, snapshot, what, null);
  }

  /**
   * {@link #check(Path, Path, String, String)} for a candidate built with another model: {@code
   * embedder} (of the candidate's model) embeds the golden texts again.
   */
  public static Optional<GoldenReport> check(
      Path trusted, Path candidate, String snapshot, String what, Embedder embedder) {
    Optional<GoldenSet> golden = trusted == null ? Optional.empty() : GoldenSet.read(trusted);
    if (golden.isEmpty()) {
      golden = GoldenSet.read(candidate);
    }
    if (golden.isEmpty()) {
      return Optional.empty();
    }
    GoldenReport report;
    try (VectorIndex index = VectorIndex.open(candidate, IndexOptions.builder().readOnly(true).refreshInterval(java.time.Duration.ZERO).build());
        SnapshotView view = snapshot == null ? index.openLatestSnapshot() : index.history().open(snapshot)) {
      report = GoldenCheck.run(golden.get(), view, embedder);
    }
    if (!report.passed()) {
      throw new PromotionBlockedException(what, report);
    }
    return Optional.of(report);
  }
}
