package dev.strata.opensearch;

import java.util.List;

/**
 * How a published index compares with the local snapshot it should hold.
 *
 * @param index the concrete index checked (the alias resolved)
 * @param checks {@code manifest}, {@code count} and {@code sample}, in that order
 */
public record PublishVerification(String index, long snapshotId, List<Check> checks) {
  public PublishVerification {
    checks = List.copyOf(checks);
  }

  /**
   * One comparison of the published index with its snapshot.
   *
   * @param name what was compared
   * @param passed whether they agree
   * @param detail the figures compared
   */
  public record Check(String name, boolean passed, String detail) {}

  /** Whether every check passed. */
  public boolean sound() {
    return checks.stream().allMatch(Check::passed);
  }
}
