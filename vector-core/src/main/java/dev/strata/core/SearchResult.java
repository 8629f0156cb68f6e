package dev.strata.core;

import java.util.List;

/**
 * Hits of one search, best first, and the snapshot they were read from.
 *
 * @param snapshotId the committed snapshot that answered
 * @param hits at most k hits, best first
 * @param tookNanos time spent in the index
 */
public record SearchResult(long snapshotId, List<Hit> hits, long tookNanos) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
