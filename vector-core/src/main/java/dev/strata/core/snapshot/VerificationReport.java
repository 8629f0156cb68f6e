package dev.strata.core.snapshot;

import java.util.List;

/**
 * What {@link IndexHistory#verify} found for one snapshot.
 *
 * @param snapshotId the snapshot checked
 * @param checks every check, in the order run
 */
public record VerificationReport(long snapshotId, List<Check> checks) {
  public VerificationReport {
    checks = List.copyOf(checks);
  }

  /** One check: its name, whether it passed, and what was found (expected vs actual, or the file). */
  public record Check(String name, boolean passed, String detail) {}

  /** Whether every check passed. */
  public boolean sound() {
    return checks.stream().allMatch(Check::passed);
  }
}
