package dev.strata.core;

import java.util.Map;
import java.util.Objects;

/**
 * A record given as text: {@link dev.strata.core.index.TextIndex} makes its vector with the index's embedder.
 *
 * @param id unique key of the record
 * @param text the passage to embed and store (stored verbatim, never interpreted)
 * @param metadata filterable attributes, never {@code null}
 * @param source the record's source label ({@link Record#source}), or {@code null}
 */
public record TextRecord(String id, String text, Map<String, Object> metadata, String source) {
  public TextRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    metadata = metadata == null ? Map.of() : metadata;
  }

  /** A text record without a source label. */
  public TextRecord(String id, String text, Map<String, Object> metadata) {
    this(id, text, metadata, null);
  }

  /** This record with {@code source} as its source label ({@code null}: none). */
  public TextRecord withSource(String source) {
    return new TextRecord(id, text, metadata, source);
  }

  /** A text record without metadata. */
  public static TextRecord of(String id, String text) {
    return new TextRecord(id, text, Map.of());
  }
}
