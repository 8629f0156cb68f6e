package dev.strata.core;

import java.util.Map;
import java.util.Objects;

/**
 * A record given as text: {@link dev.strata.core.index.TextIndex} makes its vector with the index's embedder.
 *
 * @param id unique key of the record
 * @param text the passage to embed and store (stored verbatim, never interpreted)
 * @param metadata filterable attributes, never {@code null}
 */
public record TextRecord(String id, String text, Map<String, Object> metadata) {
  public TextRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    metadata = metadata == null ? Map.of() : metadata;
  }

  /** A text record without metadata. */
  public static TextRecord of(String id, String text) {
    return new TextRecord(id, text, Map.of());
  }
}
