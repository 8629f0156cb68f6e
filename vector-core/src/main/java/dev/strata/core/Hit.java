package dev.strata.core;

import java.util.Map;

/**
 * One search result.
 *
 * @param id the record's id
 * @param score similarity to the query, higher is better (see {@link Similarity})
 * @param text the record's text, or {@code null} (also when the search asked for ids only)
 * @param metadata the record's metadata, numbers as {@code Double}; empty when the search asked
 *     for ids only
 * @param provenance where the record came from, when the search asked for it ({@link
 *     SearchRequest.Builder#provenance}); {@code null} otherwise
 */
public record Hit(String id, float score, String text, Map<String, Object> metadata, Provenance provenance) {
  public Hit {
    metadata = Map.copyOf(metadata);
  }

  /** A hit without provenance. */
  public Hit(String id, float score, String text, Map<String, Object> metadata) {
    this(id, score, text, metadata, null);
  }

  /** This hit with {@code provenance}. */
  public Hit withProvenance(Provenance provenance) {
    return new Hit(id, score, text, metadata, provenance);
  }
}
