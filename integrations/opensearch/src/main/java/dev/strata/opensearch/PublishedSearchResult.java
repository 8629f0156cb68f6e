package dev.strata.opensearch;

import dev.strata.core.Hit;
import java.util.List;

/**
 * Hits from a published index, with the index that answered and the snapshot it holds: behind an
 * alias that moves, these say which publish a result came from.
 */
public record PublishedSearchResult(String index, long snapshotId, List<Hit> hits, long tookNanos) {
  public PublishedSearchResult {
    hits = List.copyOf(hits);
  }
}
