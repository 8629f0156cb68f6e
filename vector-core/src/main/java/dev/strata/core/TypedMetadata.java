package dev.strata.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Metadata of the Java types frameworks use (String, UUID, Boolean, Integer, Long, Float, Double)
 * stored as Strata metadata and read back with the same types. Strata stores strings and numbers
 * (as doubles, exact to 2^53); the types that would be lost are listed in one reserved key,
 * {@value #TYPES_KEY}. A Long beyond 2^53 keeps its exact digits there while its field holds the
 * nearest double, so filters still compare it as a number; UUIDs and Booleans are stored as their
 * strings. Used by the LangChain4j and Spring AI adapters.
 */
public final class TypedMetadata {
  public static final String TYPES_KEY = "_strata.types";
  private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

  private TypedMetadata() {}

  /** Strata metadata for {@code metadata}; a value of another type is an error naming its key. */
  public static Map<String, Object> encode(Map<String, ?> metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    StringBuilder types = new StringBuilder();
    metadata.forEach((key, value) -> {
      if (key.equals(TYPES_KEY)) {
        throw new IllegalArgumentException("metadata key '" + TYPES_KEY + "' is reserved by Strata");
      }
      String type;
      Object stored;
      switch (value) {
        case String s -> { type = null; stored = s; }
        case UUID u -> { type = "uuid"; stored = u.toString(); }
        case Boolean b -> { type = "boolean"; stored = b.toString(); }
        case Integer i -> { type = "integer"; stored = i.doubleValue(); }
        case Long l -> {
          boolean exact = Math.abs(l) <= EXACT_DOUBLE_LIMIT && l != Long.MIN_VALUE;
          type = exact ? "long" : "long:" + l;
          stored = l.doubleValue();
        }
        case Float f -> { type = "float"; stored = f.doubleValue(); }
        case Double d -> { type = "double"; stored = d; }
        case null -> throw new IllegalArgumentException("metadata '" + key + "' is null");
        default -> throw new IllegalArgumentException("metadata '" + key + "': unsupported type "
            + value.getClass().getName() + "; use a String, UUID, Boolean, Integer, Long, Float or Double");
      }
      out.put(key, stored);
      if (type != null) {
        types.append(types.isEmpty() ? "" : ";").append(key).append(':').append(type);
      }
    });
    if (!types.isEmpty()) {
      out.put(TYPES_KEY, types.toString());
    }
    return out;
  }

  /** The typed values of metadata written by {@link #encode}, without the reserved key. */
  public static Map<String, Object> decode(Map<String, Object> stored) {
    Map<String, String> types = new HashMap<>();
    Object encodedTypes = stored.get(TYPES_KEY);
    if (encodedTypes instanceof String s && !s.isEmpty()) {
      for (String entry : s.split(";")) {
        int colon = entry.indexOf(':');
        types.put(entry.substring(0, colon), entry.substring(colon + 1));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    stored.forEach((key, value) -> {
      if (key.equals(TYPES_KEY)) {
        return;
      }
      String type = types.get(key);
      values.put(key, type == null ? value : decodeValue(type, value));
    });
    return values;
  }

  private static Object decodeValue(String type, Object value) {
    if (type.startsWith("long:")) {
      return Long.parseLong(type.substring("long:".length()));
    }
    return switch (type) {
      case "uuid" -> UUID.fromString((String) value);
      case "boolean" -> Boolean.parseBoolean((String) value);
      case "integer" -> ((Number) value).intValue();
      case "long" -> ((Number) value).longValue();
      case "float" -> ((Number) value).floatValue();
      case "double" -> ((Number) value).doubleValue();
      default -> throw new IllegalStateException("unknown stored metadata type '" + type + "'");
    };
  }

  /** A filter value as it is stored: UUIDs and Booleans as strings, everything else as it is. */
  public static Object filterValue(Object value) {
    return value instanceof UUID || value instanceof Boolean ? value.toString() : value;
  }

  /** {@link #filterValue} of each value, for {@code in} filters. */
  public static List<Object> filterValues(Collection<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(filterValue(v));
    }
    return out;
  }
}
