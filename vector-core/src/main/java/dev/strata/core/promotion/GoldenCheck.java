package dev.strata.core.promotion;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.SearchResult;
import dev.strata.core.snapshot.SnapshotView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a {@link GoldenSet} against a candidate snapshot: each query searched as production would,
 * recall@k of the trusted hits and the shift of the mean top-1 score compared with the set's
 * {@link GoldenTolerance}.
 *
 * <p>A candidate built with another model cannot be searched with the golden vectors: its texts
 * are embedded again when an embedder of the candidate's model is given and every query has its
 * text; otherwise the report fails and says so.
 */
public final class GoldenCheck {
  private static final int WORST_SHOWN = 10;

  private GoldenCheck() {}

  /**
   * @param embedder the embedder of the candidate's model, used only when that model is not the
   *     golden set's; may be {@code null}
   */
  public static GoldenReport run(GoldenSet golden, SnapshotView candidate, Embedder embedder) {
    GoldenTolerance tolerance = golden.tolerance();
    String candidateModel = candidate.schema().modelFingerprint();
    boolean reembed = !Objects.equals(candidateModel, golden.modelFingerprint());
    if (reembed) {
      String problem = whyNotReembeddable(golden, candidateModel, embedder);
      if (problem != null) {
        return failed(golden, candidate, List.of(problem));
      }
    }
    if (!reembed && golden.queries().get(0).vector().length != candidate.schema().dimension()) {
      return failed(golden, candidate, List.of("golden vectors have " + golden.queries().get(0).vector().length
          + " dimensions, the candidate " + candidate.schema().dimension()));
    }
    List<GoldenReport.QueryOutcome> outcomes = new ArrayList<>();
    double recallSum = 0;
    double expectedTop1 = 0;
    double actualTop1 = 0;
    int measured = 0;
    for (GoldenQuery query : golden.queries()) {
      float[] vector = reembed ? embedder.embed(query.text()) : query.vector();
      SearchResult result = candidate.search(GoldenSet.request(vector, golden.k(), candidateModel));
      if (query.expected().isEmpty()) {
        continue; // the trusted snapshot found nothing: no recall to lose
      }
      Set<String> found = new HashSet<>();
      for (Hit hit : result.hits()) {
        found.add(hit.id());
      }
      long kept = query.expected().stream().filter(e -> found.contains(e.id())).count();
      double recall = kept / (double) query.expected().size();
      float expected = query.expected().get(0).score();
      float actual = result.hits().isEmpty() ? 0 : result.hits().get(0).score();
      outcomes.add(new GoldenReport.QueryOutcome(query.id(), recall, expected, actual));
      recallSum += recall;
      expectedTop1 += expected;
      actualTop1 += actual;
      measured++;
    }
    double recall = measured == 0 ? Double.NaN : recallSum / measured;
    expectedTop1 = measured == 0 ? Double.NaN : expectedTop1 / measured;
    actualTop1 = measured == 0 ? Double.NaN : actualTop1 / measured;
    List<String> problems = new ArrayList<>();
    if (measured > 0 && recall < tolerance.minRecall()) {
      problems.add(String.format(Locale.ROOT, "recall@%d of the golden hits is %.4f, below the minimum %.4f",
          golden.k(), recall, tolerance.minRecall()));
    }
    if (measured > 0 && Math.abs(actualTop1 - expectedTop1) > tolerance.maxTop1ScoreShift()) {
      problems.add(String.format(Locale.ROOT, "mean top-1 score moved from %.4f to %.4f, more than the allowed %.4f",
          expectedTop1, actualTop1, tolerance.maxTop1ScoreShift()));
    }
    outcomes.sort(Comparator.comparingDouble(GoldenReport.QueryOutcome::recall)
        .thenComparing(o -> -Math.abs(o.actualTop1() - o.expectedTop1())));
    return new GoldenReport(problems.isEmpty(), candidate.indexPath(), candidate.snapshot().id(), golden.snapshotId(),
        golden.queries().size(), recall, expectedTop1, actualTop1, reembed,
        outcomes.subList(0, Math.min(WORST_SHOWN, outcomes.size())), problems);
  }

  private static String whyNotReembeddable(GoldenSet golden, String candidateModel, Embedder embedder) {
    String change = "the candidate's model (" + candidateModel + ") is not the golden set's (" + golden.modelFingerprint() + ")";
    if (golden.queries().stream().anyMatch(q -> q.text() == null)) {
      return change + " and some golden queries have no text to embed again; capture the golden set from texts";
    }
    if (embedder == null || candidateModel == null || !embedder.fingerprint().encoded().equals(candidateModel)) {
      return change + "; give the embedder of the candidate's model to embed the golden texts again";
    }
    return null;
  }

  private static GoldenReport failed(GoldenSet golden, SnapshotView candidate, List<String> problems) {
    return new GoldenReport(false, candidate.indexPath(), candidate.snapshot().id(), golden.snapshotId(),
        golden.queries().size(), Double.NaN, Double.NaN, Double.NaN, false, List.of(), problems);
  }
}
