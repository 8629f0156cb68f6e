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
 */
public record Hit(String id, float score, String text, Map<String, Object> metadata) {
  public Hit {
    metadata = Map.copyOf(metadata);
  }
}
