package dev.strata.core;

import java.util.Map;

/**
 * One search result.
 *
 * @param id the record's id
 * @param score similarity to the query, higher is better (see {@link Similarity})
 * @param text the record's text, or {@code null}
 * @param metadata the record's metadata; numbers come back as {@code Double}
 */
public record Hit(String id, float score, String text, Map<String, Object> metadata) {
  public Hit {
    metadata = Map.copyOf(metadata);
  }
}
