package dev.strata.opensearch;

import java.time.Duration;
import java.util.List;

/**
 * What a completed publish did.
 *
 * @param previousIndices where the alias pointed before (empty: it did not exist, or no alias)
 * @param records live records loaded and counted in the new index
 * @param requests bulk requests sent, retries included
 * @param retries requests sent again after a retryable failure, all steps together
 * @param loadTime time spent loading records, from the first bulk request to the count
 * @param notes anything the operator should know, such as an encoding OpenSearch cannot keep
 */
public record PublishReport(
    String index,
    String alias,
    List<String> previousIndices,
    long snapshotId,
    String modelFingerprint,
    long records,
    int requests,
    int retries,
    Duration loadTime,
    Duration totalTime,
    List<String> notes) {

  public PublishReport {
    previousIndices = List.copyOf(previousIndices);
    notes = List.copyOf(notes);
  }

  /** Records loaded per second of load time. */
  public double recordsPerSecond() {
    double seconds = loadTime.toNanos() / 1e9;
    return seconds <= 0 ? 0 : records / seconds;
  }
}
