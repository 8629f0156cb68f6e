package dev.strata.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.core.Record;
import dev.strata.core.TextRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one JSONL line, {@code {"id": "...", "vector": [...], "text": "...", "metadata": {...}}},
 * into a {@link Record}. Checks only the JSON shape; the index checks the rest. Unknown fields are
 * refused rather than ignored, so a misspelt {@code "txt"} cannot silently drop a passage.
 */
final class JsonRecordParser implements RecordLineParser {
  private static final Set<String> FIELDS = Set.of("id", "vector", "text", "metadata", "source");
  private static final Set<String> TEXT_FIELDS = Set.of("id", "text", "metadata", "source");
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Reads numbers with a fraction or exponent as the decimals they are (slower: only for lines that need it). */
  private static final ObjectMapper EXACT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();
  private static final double EXACT_LIMIT = 0x1p53;

  /** A line that is not a record; {@code id} is set when the line got that far. */
  static final class MalformedRecordException extends Exception {
    final String id;

    MalformedRecordException(String id, String message) {
      super(message);
      this.id = id;
    }
  }

  /** A record with its vector: {@code {"id", "vector", "text"?, "metadata"?, "source"?}}. */
  @Override
  public Record parse(String line) throws MalformedRecordException {
    JsonNode node = object(line);
    String id = id(node);
    checkFields(node, id, FIELDS);
    return new Record(
        id,
        vector(id, node.get("vector")),
        text(id, node.get("text")),
        metadata(id, node.get("metadata"), line),
        string(id, "source", node.get("source")));
  }

  /** A record to embed: {@code {"id", "text", "metadata"?, "source"?}}; a vector is refused. */
  @Override
  public TextRecord parseText(String line) throws MalformedRecordException {
    JsonNode node = object(line);
    String id = id(node);
    if (node.has("vector")) {
      throw new MalformedRecordException(id, "has a \"vector\"; records to embed carry text only");
    }
    checkFields(node, id, TEXT_FIELDS);
    String text = text(id, node.get("text"));
    if (text == null) {
      throw new MalformedRecordException(id, "missing \"text\" to embed");
    }
    return new TextRecord(id, text, metadata(id, node.get("metadata"), line), string(id, "source", node.get("source")));
  }

  /**
   * The line's one JSON value. Anything after it (a second record, garbage, a second object after
   * a lone carriage return, which is not a line break) refuses the line: silently keeping the
   * first value would drop the rest. A key given twice refuses it too: which one would win?
   */
  private static JsonNode object(String line) throws MalformedRecordException {
    JsonNode node;
    try (JsonParser parser = STRICT.createParser(line)) {
      node = STRICT.readTree(parser);
      if (node != null && parser.nextToken() != null) {
        throw new MalformedRecordException(null,
            "more than one JSON value on the line (one record per line; a lone \\r does not end a line)");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(null, "invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedRecordException(null, "expected a JSON object");
    }
    return node;
  }

  private static String id(JsonNode node) throws MalformedRecordException {
    JsonNode idNode = node.get("id");
    if (idNode == null || !idNode.isTextual()) {
      throw new MalformedRecordException(
          null, idNode == null ? "missing \"id\"" : "\"id\" must be a string");
    }
    return idNode.textValue();
  }

  private static void checkFields(JsonNode node, String id, Set<String> allowed) throws MalformedRecordException {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!allowed.contains(field.getKey())) {
        throw new MalformedRecordException(
            id, "unknown field \"" + field.getKey() + "\"; expected " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static float[] vector(String id, JsonNode node) throws MalformedRecordException {
    if (node == null || !node.isArray()) {
      throw new MalformedRecordException(
          id, node == null ? "missing \"vector\"" : "\"vector\" must be an array of numbers");
    }
    float[] vector = new float[node.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isNumber()) {
        throw new MalformedRecordException(id, "vector[" + i + "] is not a number: " + v);
      }
      // Values beyond float range become infinite here, and the index rejects them as such.
      vector[i] = (float) v.doubleValue();
    }
    return vector;
  }

  private static String text(String id, JsonNode node) throws MalformedRecordException {
    return string(id, "text", node);
  }

  private static String string(String id, String field, JsonNode node) throws MalformedRecordException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new MalformedRecordException(id, "\"" + field + "\" must be a string");
    }
    return node.textValue();
  }

  /**
   * The metadata as given. A number with a fraction or exponent beyond 2^53 is read again as the
   * decimal it is, so that the index can refuse one no double holds (9007199254740993.0) instead of
   * storing its rounded neighbour.
   */
  private static Map<String, Object> metadata(String id, JsonNode node, String line)
      throws MalformedRecordException {
    if (node != null && node.isObject()) {
      for (JsonNode value : node) {
        if (value.isFloatingPointNumber() && Math.abs(value.doubleValue()) >= EXACT_LIMIT) {
          try {
            node = EXACT.readTree(line).get("metadata");
          } catch (JsonProcessingException e) {
            throw new MalformedRecordException(id, "invalid JSON: " + e.getOriginalMessage());
          }
          break;
        }
      }
    }
    return metadataAsGiven(id, node);
  }

  private static Map<String, Object> metadataAsGiven(String id, JsonNode node)
      throws MalformedRecordException {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new MalformedRecordException(id, "\"metadata\" must be an object");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    // Values of any JSON type pass through; the index names the ones it does not accept.
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      metadata.put(e.getKey(), e.getValue().isBigDecimal() ? e.getValue().decimalValue()
          : Json.MAPPER.convertValue(e.getValue(), Object.class));
    }
    return metadata;
  }
}
