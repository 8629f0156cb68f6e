package dev.strata.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.VectorSource;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A file of queries for {@code golden capture} and {@code monitor}: JSONL, one object per line with
 * an {@code "id"} (or BEIR's {@code "_id"}) and a {@code "text"}, a {@code "vector"}, or both. Texts
 * without a vector are embedded with the index's model. Any bad line refuses the whole file, naming
 * the line: a golden set or a drift check built on part of the queries would mislead.
 */
final class QueryFile {
  /** One query; {@code vector} is set once embedded. */
  record Query(String id, String text, float[] vector) {}

  private QueryFile() {}

  static List<Query> read(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "query file");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Query> queries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int n = 0; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) {
        continue;
      }
      Query query = parse(lines.get(n), file, n + 1);
      if (!ids.add(query.id())) {
        throw new IllegalArgumentException(file + " line " + (n + 1) + ": query id '" + query.id() + "' appears twice");
      }
      queries.add(query);
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("query file " + file + " holds no queries");
    }
    return queries;
  }

  /** The queries with every text embedded by the index's model (loaded only if one is needed). */
  /**
   * The source the queries' vectors state: the index's own model, which {@link #embedded} embeds
   * texts with and whose vectors a query file's raw ones are taken to be; none for an index without.
   */
  static VectorSource sourceFor(IndexSchema schema) {
    String model = schema.modelFingerprint();
    return model == null ? VectorSource.UNSTATED : VectorSource.model(ModelFingerprint.parse(model));
  }

  static List<Query> embedded(List<Query> queries, IndexSchema schema, ModelOptions model) {
    if (queries.stream().allMatch(q -> q.vector() != null)) {
      return queries;
    }
    List<Query> out = new ArrayList<>();
    try (OnnxEmbedder embedder = model.loadFor(schema)) {
      List<String> texts = queries.stream().filter(q -> q.vector() == null).map(Query::text).toList();
      List<float[]> vectors = embedder.embed(texts);
      int next = 0;
      for (Query q : queries) {
        out.add(q.vector() != null ? q : new Query(q.id(), q.text(), vectors.get(next++)));
      }
    }
    return out;
  }

  private static Query parse(String line, Path file, int lineNumber) {
    String where = file + " line " + lineNumber + ": ";
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + "expected a JSON object");
    }
    JsonNode id = node.has("id") ? node.get("id") : node.get("_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new IllegalArgumentException(where + "needs a non-blank string \"id\" (or \"_id\")");
    }
    JsonNode text = node.get("text");
    if (text != null && (!text.isTextual() || text.asText().isBlank())) {
      throw new IllegalArgumentException(where + "query '" + id.asText() + "': \"text\" must be a non-blank string");
    }
    float[] vector = null;
    if (node.has("vector")) {
      try {
        vector = SearchCommand.parseVector(node.get("vector").toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "query '" + id.asText() + "': " + e.getMessage(), e);
      }
    }
    if (text == null && vector == null) {
      throw new IllegalArgumentException(where + "query '" + id.asText() + "' has neither \"text\" nor \"vector\"");
    }
    return new Query(id.asText(), text == null ? null : text.asText(), vector);
  }
}
