package dev.strata.core.promotion;

import java.nio.file.Path;
import java.util.List;

/**
 * A candidate snapshot measured against a {@link GoldenSet}.
 *
 * @param passed whether it is within the tolerance (and so may be promoted)
 * @param index the candidate's index directory
 * @param snapshotId the candidate snapshot
 * @param goldenSnapshotId the trusted snapshot the golden set was captured from
 * @param queries golden queries run
 * @param recall mean recall@k of the expected hits, NaN when none could run
 * @param expectedTop1 mean top-1 score the trusted snapshot gave
 * @param actualTop1 mean top-1 score the candidate gave
 * @param reembedded whether the golden texts were embedded again for a candidate of another model
 * @param worst the queries that lost most, at most ten, worst first
 * @param problems why it failed, one line each; empty when it passed
 */
public record GoldenReport(
    boolean passed,
    Path index,
    long snapshotId,
    long goldenSnapshotId,
    int queries,
    double recall,
    double expectedTop1,
    double actualTop1,
    boolean reembedded,
    List<QueryOutcome> worst,
    List<String> problems) {

  public GoldenReport {
    worst = List.copyOf(worst);
    problems = List.copyOf(problems);
  }

  /** One golden query's outcome on the candidate. */
  public record QueryOutcome(String id, double recall, float expectedTop1, float actualTop1) {}
}
