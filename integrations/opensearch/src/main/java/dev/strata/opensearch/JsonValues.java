package dev.strata.opensearch;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.JsonData;

/** Plain Java values (maps, lists, strings, numbers, booleans) from the client's JSON types. */
final class JsonValues {
  private JsonValues() {}

  static Map<String, Object> toMap(Map<String, JsonData> data) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (data != null) {
      data.forEach((key, value) -> map.put(key, toJava(value.toJson())));
    }
    return map;
  }

  static Object toJava(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        ((JsonObject) value).forEach((k, v) -> map.put(k, toJava(v)));
        yield map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonValue v : (JsonArray) value) {
          list.add(toJava(v));
        }
        yield list;
      }
      case STRING -> ((JsonString) value).getString();
      case NUMBER -> {
        JsonNumber n = (JsonNumber) value;
        yield n.isIntegral() ? (Object) n.longValue() : (Object) n.doubleValue();
      }
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case NULL -> null;
    };
  }

  static Map<String, JsonData> toJsonData(Map<String, Object> map) {
    Map<String, JsonData> data = new LinkedHashMap<>();
    map.forEach((key, value) -> data.put(key, JsonData.of(value)));
    return data;
  }
}
