package dev.strata.core.snapshot;

import dev.strata.core.snapshot.VerificationReport.Check;
import java.util.List;

/**
 * What {@link IndexRecovery#verifyIndex} found: a report for every snapshot whose commit point
 * reads, and the checks of the index as a whole (commit points that cannot be read, a head that
 * went backwards, damaged commit points a writer moved aside earlier).
 *
 * @param snapshots one report per readable snapshot, oldest first
 * @param indexChecks checks of the index as a whole
 */
public record IndexVerification(List<VerificationReport> snapshots, List<Check> indexChecks) {
  public IndexVerification {
    snapshots = List.copyOf(snapshots);
    indexChecks = List.copyOf(indexChecks);
  }

  /** Whether every check passed. */
  public boolean sound() {
    return indexChecks.stream().allMatch(Check::passed) && snapshots.stream().allMatch(VerificationReport::sound);
  }

  /** The ids of the snapshots that verified sound, oldest first: the ones a recovery may go back to. */
  public List<Long> intactSnapshots() {
    return snapshots.stream().filter(VerificationReport::sound).map(VerificationReport::snapshotId).toList();
  }
}
