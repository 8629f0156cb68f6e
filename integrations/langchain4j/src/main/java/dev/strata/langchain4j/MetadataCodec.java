package dev.strata.langchain4j;

import dev.langchain4j.data.document.Metadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * LangChain4j metadata to Strata metadata and back, keeping every value's Java type. Strata
 * stores strings and numbers (as doubles, exact to 2^53); the types that would be lost (UUID,
 * Integer, Long, Float, Double) are listed in one reserved key, {@value #TYPES_KEY}, and a Long
 * beyond 2^53 keeps its exact digits there while its field holds the nearest double, so filters
 * still compare it as a number.
 */
final class MetadataCodec {
  static final String TYPES_KEY = "_lc4j.types";
  private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

  private MetadataCodec() {}

  static Map<String, Object> encode(Metadata metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    StringBuilder types = new StringBuilder();
    metadata.toMap().forEach((key, value) -> {
      if (key.equals(TYPES_KEY)) {
        throw new IllegalArgumentException("metadata key '" + TYPES_KEY + "' is reserved by the Strata store");
      }
      String type;
      Object stored;
      switch (value) {
        case String s -> { type = null; stored = s; }
        case UUID u -> { type = "uuid"; stored = u.toString(); }
        case Integer i -> { type = "integer"; stored = i.doubleValue(); }
        case Long l -> {
          boolean exact = Math.abs(l) <= EXACT_DOUBLE_LIMIT && l != Long.MIN_VALUE;
          type = exact ? "long" : "long:" + l;
          stored = l.doubleValue();
        }
        case Float f -> { type = "float"; stored = f.doubleValue(); }
        case Double d -> { type = "double"; stored = d; }
        default -> throw new IllegalArgumentException(
            "metadata '" + key + "': unsupported type " + value.getClass().getName());
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

  static Metadata decode(Map<String, Object> stored) {
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
    return new Metadata(values);
  }

  private static Object decodeValue(String type, Object value) {
    if (type.startsWith("long:")) {
      return Long.parseLong(type.substring("long:".length()));
    }
    return switch (type) {
      case "uuid" -> UUID.fromString((String) value);
      case "integer" -> ((Number) value).intValue();
      case "long" -> ((Number) value).longValue();
      case "float" -> ((Number) value).floatValue();
      case "double" -> ((Number) value).doubleValue();
      default -> throw new IllegalStateException("unknown stored metadata type '" + type + "'");
    };
  }
}
