package dev.strata.core;

import java.util.List;

/**
 * Hits of one search, best first, and the snapshot they were read from.
 *
 * @param snapshotId the committed snapshot that answered
 * @param hits at most k hits, best first
 * @param tookNanos time spent in the index
 * @param degraded the hits came while the retrieval drift monitor saw queries drift (see {@link
 *     dev.strata.core.monitor.BreakerMode#FLAG_DEGRADED}): treat them with suspicion
 * @param path which way the search went; null where the result was not made by a search
 * @param timedOut the search's timeout ({@link SearchRequest#timeout()}) passed before it finished:
 *     the hits are what it had by then (none, when the time ran out before it started)
 */
public record SearchResult(long snapshotId, List<Hit> hits, long tookNanos, boolean degraded, SearchPath path,
    boolean timedOut) {
  public SearchResult {
    hits = List.copyOf(hits);
  }

  /** A result that did not time out. */
  public SearchResult(long snapshotId, List<Hit> hits, long tookNanos, boolean degraded, SearchPath path) {
    this(snapshotId, hits, tookNanos, degraded, path, false);
  }

  /** A result without a {@link #path()}, as results were before they said it. */
  public SearchResult(long snapshotId, List<Hit> hits, long tookNanos, boolean degraded) {
    this(snapshotId, hits, tookNanos, degraded, null);
  }

  /** The same hits, flagged degraded. */
  public SearchResult asDegraded() {
    return degraded ? this : new SearchResult(snapshotId, hits, tookNanos, true, path, timedOut);
  }
}
