package dev.strata.core.internal.records;

import dev.strata.core.MetadataType;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The type of every metadata field an index has seen. Immutable: writers publish a new instance.
 * Lucene itself refuses a field indexed as a keyword in one document and as a point in another, so
 * this registry is what turns that into a clear, per-record error before the record is buffered.
 */
public final class MetadataTypes {
  public static final MetadataTypes EMPTY = new MetadataTypes(Map.of());

  private final Map<String, MetadataType> types;

  private MetadataTypes(Map<String, MetadataType> types) {
    this.types = Collections.unmodifiableMap(new TreeMap<>(types));
  }

  public MetadataType typeOf(String field) {
    return types.get(field);
  }

  public Map<String, MetadataType> asMap() {
    return types;
  }

  /** This registry plus {@code added}; the caller has checked that no type conflicts. */
  public MetadataTypes with(Map<String, MetadataType> added) {
    if (types.keySet().containsAll(added.keySet())) {
      return this;
    }
    TreeMap<String, MetadataType> merged = new TreeMap<>(types);
    merged.putAll(added);
    return new MetadataTypes(merged);
  }

  /** {@code name:type,name:type}; field names cannot contain ':' or ','. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    types.forEach(
        (name, type) -> {
          if (!sb.isEmpty()) {
            sb.append(',');
          }
          sb.append(name).append(':').append(type.externalName());
        });
    return sb.toString();
  }

  public static MetadataTypes decode(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, MetadataType> types = new TreeMap<>();
    for (String entry : encoded.split(",")) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("malformed metadata type entry '" + entry + "'");
      }
      types.put(
          entry.substring(0, colon),
          MetadataType.valueOf(entry.substring(colon + 1).toUpperCase(java.util.Locale.ROOT)));
    }
    return new MetadataTypes(types);
  }

  @Override
  public String toString() {
    return encode();
  }
}
