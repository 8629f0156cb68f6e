package dev.strata.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.core.IndexCounters;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.SearchResult;
import dev.strata.core.SnapshotInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes index-admin prints. Field names are a public contract: scripts parse them, so
 * add fields freely but never rename one.
 */
final class Json {
  /**
   * Reads one JSON value and nothing after it, each key once: "[1,2] garbage" or a key given twice
   * is an error, not the first value quietly taken.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  static void print(PrintWriter out, Object document) {
    try {
      out.println(MAPPER.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON output", e);
    }
  }

  /** {@code value}, or null (JSON null) for NaN and infinities, which JSON cannot carry. */
  static Object finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  static Map<String, Object> snapshot(SnapshotInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("parentId", s.parentId());
    m.put("createdAt", s.createdAt().toString());
    m.put("liveCount", s.liveCount());
    m.put("message", s.message());
    m.put("recordDigest", s.recordDigest());
    m.put("sourceSha256", s.sourceSha256());
    return m;
  }

  static Map<String, Object> schema(IndexSchema schema, Map<String, Object> into) {
    into.put("dimension", schema.dimension());
    into.put("similarity", schema.similarity().externalName());
    into.put("encoding", schema.encoding().externalName());
    into.put("hnswM", schema.hnswM());
    into.put("hnswBeamWidth", schema.hnswBeamWidth());
    into.put("normalize", schema.normalize());
    into.put("modelFingerprint", schema.modelFingerprint());
    into.put("fullText", schema.fullText());
    return into;
  }

  static Map<String, Object> stats(IndexStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("docs", stats.docs());
    m.put("deletedDocs", stats.deletedDocs());
    m.put("segments", stats.segments());
    m.put("graphlessSegments", stats.graphlessSegments());
    m.put("graphBuildRunning", stats.graphBuildRunning());
    m.put("bytes", stats.bytes());
    schema(stats.schema(), m);
    Map<String, String> fields = new LinkedHashMap<>();
    stats.metadataFields().forEach((name, type) -> fields.put(name, type.externalName()));
    m.put("metadataFields", fields);
    m.put("snapshot", snapshot(stats.snapshot()));
    m.put("counters", counters(stats.counters()));
    return m;
  }

  /** One named check of a verification ({@code verify}, {@code publish --verify-only}). */
  static Map<String, Object> check(String name, boolean passed, String detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("passed", passed);
    m.put("detail", detail);
    return m;
  }

  static Map<String, Object> counters(IndexCounters c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recordsUpserted", c.recordsUpserted());
    m.put("deleteRequests", c.deleteRequests());
    m.put("rejectedWrites", c.rejectedWrites());
    m.put("commits", c.commits());
    m.put("rollbacks", c.rollbacks());
    m.put("compactions", c.compactions());
    m.put("compactionBytesRead", c.compactionBytesRead());
    m.put("compactionBytesWritten", c.compactionBytesWritten());
    return m;
  }

  /**
   * Metadata as people wrote it: the index keeps numbers as doubles, so 2024 comes back as 2024.0;
   * show integral values as integers (the same JSON number either way).
   */
  static Map<String, Object> displayMetadata(Map<String, Object> metadata) {
    Map<String, Object> shown = new TreeMap<>();
    metadata.forEach(
        (key, value) ->
            shown.put(
                key,
                value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53
                    ? (Object) d.longValue()
                    : value));
    return shown;
  }

  static Map<String, Object> searchResult(SearchResult result) {
    List<Map<String, Object>> hits =
        result.hits().stream()
            .map(
                h -> {
                  Map<String, Object> hit = new LinkedHashMap<>();
                  hit.put("id", h.id());
                  hit.put("score", h.score());
                  hit.put("text", h.text());
                  hit.put("metadata", displayMetadata(h.metadata()));
                  if (h.provenance() != null) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("writtenIn", h.provenance().writtenIn());
                    p.put("source", h.provenance().source());
                    p.put("model", h.provenance().model());
                    hit.put("provenance", p);
                  }
                  return hit;
                })
            .toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshot", result.snapshotId());
    m.put("hits", hits);
    m.put("tookMs", result.tookNanos() / 1e6);
    m.put("path", result.path() == null ? null : result.path().externalName());
    m.put("timedOut", result.timedOut());
    return m;
  }
}
