package dev.strata.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of an index: a unique id, its vector, optional text and optional metadata. Upserting a
 * record with an id that exists replaces the old record whole.
 *
 * <p>Text is stored and returned as it is, never parsed or interpreted. Metadata values are
 * strings or numbers; both can be used in {@link MetadataFilter}s. The constructor copies its
 * arrays and maps, so a record is immutable; it checks only for nulls, while the rules that depend
 * on the index (dimension, norms, limits) are checked when the index accepts it.
 *
 * @param id unique key of the record
 * @param vector the embedding
 * @param text the passage the vector was made from, or {@code null}
 * @param metadata filterable attributes (string or numeric values), never {@code null}
 * @param source where the record came from (an upload, a file, a feed: a label of the caller's),
 *     or {@code null}; kept with the record as its {@link Provenance}, copied with it by rebuilds,
 *     migrations and reverts, and usable in filters ({@link MetadataFilter#source}) and deletions
 */
public record Record(String id, float[] vector, String text, Map<String, Object> metadata, String source) {

  public Record {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vector, "vector");
    vector = vector.clone();
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A record without a source label. */
  public Record(String id, float[] vector, String text, Map<String, Object> metadata) {
    this(id, vector, text, metadata, null);
  }

  /** This record with {@code source} as its source label ({@code null}: none). */
  public Record withSource(String source) {
    return new Record(id, vector, text, metadata, source);
  }

  /** A record with a vector only. */
  public static Record of(String id, float[] vector) {
    return new Record(id, vector, null, Map.of());
  }

  /** A record with a vector and its text. */
  public static Record of(String id, float[] vector, String text) {
    return new Record(id, vector, text, Map.of());
  }

  /** A copy of the vector: the record itself stays immutable. */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record r
        && id.equals(r.id)
        && Arrays.equals(vector, r.vector)
        && Objects.equals(text, r.text)
        && metadata.equals(r.metadata)
        && Objects.equals(source, r.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(vector), text, metadata, source);
  }

  @Override
  public String toString() {
    return "Record[id="
        + id
        + ", dim="
        + vector.length
        + ", text="
        + (text == null ? "null" : text.length() + " chars")
        + ", metadata="
        + metadata
        + (source == null ? "" : ", source=" + source)
        + "]";
  }
}
