package dev.strata.core.promotion;

import dev.strata.core.Hit;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.io.ChecksummedFile;
import dev.strata.core.snapshot.SnapshotView;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Queries with the top hits a snapshot the operator trusts gave them: the canary that a candidate
 * snapshot (a rebuild, a compaction, a new encoding) must pass before an alias moves to it.
 *
 * <p>Stored beside the index's segments in one {@link ChecksummedFile} ({@value #FILE}): replaced
 * atomically, and a damaged file is an error, never a silently empty gate.
 *
 * @param k hits captured per query
 * @param snapshotId the trusted snapshot the hits came from
 * @param modelFingerprint the model of that snapshot's vectors (encoded), or {@code null}
 * @param capturedAt when the set was captured
 * @param tolerance how much worse a candidate may do and still be promoted
 * @param queries the queries with their expected hits
 */
public record GoldenSet(
    int k, long snapshotId, String modelFingerprint, Instant capturedAt, GoldenTolerance tolerance, List<GoldenQuery> queries) {
  public static final String FILE = "strata-golden.txt";
  private static final String WHAT = "golden query set";
  private static final String FORMAT = "1";

  public GoldenSet {
    if (k < 1 || k > SearchRequest.MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + SearchRequest.MAX_K + "], got " + k);
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("a golden set needs at least one query");
    }
    java.util.Objects.requireNonNull(tolerance, "tolerance");
    queries = List.copyOf(queries);
    Set<String> ids = new HashSet<>();
    for (GoldenQuery q : queries) {
      if (!ids.add(q.id())) {
        throw new IllegalArgumentException("golden query id '" + q.id() + "' appears twice");
      }
    }
  }

  /** Searches {@code trusted} with each probe and keeps its top {@code k} hits as the expectation. */
  public static GoldenSet capture(SnapshotView trusted, List<GoldenQuery> probes, int k, GoldenTolerance tolerance) {
    String fingerprint = trusted.schema().modelFingerprint();
    List<GoldenQuery> captured = new ArrayList<>();
    for (GoldenQuery probe : probes) {
      SearchResult result = trusted.search(request(probe.vector(), k, fingerprint));
      List<GoldenQuery.Expected> expected = new ArrayList<>();
      for (Hit hit : result.hits()) {
        expected.add(new GoldenQuery.Expected(hit.id(), hit.score()));
      }
      captured.add(probe.withExpected(expected));
    }
    return new GoldenSet(k, trusted.snapshot().id(), fingerprint, Instant.now(), tolerance, captured);
  }

  /** The search a golden query makes: the production path (graph, default effort), not exact. */
  static SearchRequest request(float[] vector, int k, String modelFingerprint) {
    SearchRequest.Builder request = SearchRequest.builder(vector).k(k);
    if (modelFingerprint != null) {
      request.source(VectorSource.model(dev.strata.core.ModelFingerprint.parse(modelFingerprint)));
    }
    return request.build();
  }

  /** The golden set stored with the index in {@code indexDir}, if any. */
  public static Optional<GoldenSet> read(Path indexDir) {
    Path file = indexDir.resolve(FILE);
    return ChecksummedFile.read(file, WHAT).map(body -> parse(body, file));
  }

  /** Stores this set with the index in {@code indexDir}, replacing any previous one atomically. */
  public void write(Path indexDir) {
    StringBuilder body = new StringBuilder();
    body.append("format=").append(FORMAT).append('\n');
    body.append("k=").append(k).append('\n');
    body.append("snapshot=").append(snapshotId).append('\n');
    body.append("modelFingerprint=").append(modelFingerprint == null ? "" : modelFingerprint).append('\n');
    body.append("capturedAt=").append(capturedAt).append('\n');
    body.append("minRecall=").append(tolerance.minRecall()).append('\n');
    body.append("maxTop1ScoreShift=").append(tolerance.maxTop1ScoreShift()).append('\n');
    for (GoldenQuery q : queries) {
      body.append("query=").append(encode(q.id())).append('\t').append(encodeVector(q.vector())).append('\t')
          .append(q.text() == null ? "-" : "t" + encode(q.text())).append('\t');
      for (int i = 0; i < q.expected().size(); i++) {
        GoldenQuery.Expected e = q.expected().get(i);
        body.append(i == 0 ? "" : ",").append(encode(e.id())).append(':').append(e.score());
      }
      body.append('\n');
    }
    ChecksummedFile.write(indexDir.resolve(FILE), body.toString(), WHAT);
  }

  private static GoldenSet parse(String body, Path file) {
    Map<String, String> header = new LinkedHashMap<>();
    List<GoldenQuery> queries = new ArrayList<>();
    String[] lines = body.split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw damaged(file, n, "no '=' in the line");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("query")) {
        queries.add(parseQuery(value, file, n));
      } else {
        header.put(key, value);
      }
    }
    if (!FORMAT.equals(header.get("format"))) {
      throw new StrataException(WHAT + " " + file + " has format '" + header.get("format") + "', expected " + FORMAT
          + ": written by another Strata version");
    }
    try {
      String fingerprint = header.get("modelFingerprint");
      return new GoldenSet(Integer.parseInt(header.get("k")), Long.parseLong(header.get("snapshot")),
          fingerprint == null || fingerprint.isEmpty() ? null : fingerprint, Instant.parse(header.get("capturedAt")),
          new GoldenTolerance(Double.parseDouble(header.get("minRecall")), Double.parseDouble(header.get("maxTop1ScoreShift"))),
          queries);
    } catch (RuntimeException e) {
      throw new StrataException(WHAT + " " + file + " has a bad header (" + e.getMessage() + "): it is damaged", e);
    }
  }

  private static GoldenQuery parseQuery(String value, Path file, int line) {
    String[] fields = value.split("\t", -1);
    if (fields.length != 4) {
      throw damaged(file, line, "a query needs 4 tab-separated fields, found " + fields.length);
    }
    try {
      List<GoldenQuery.Expected> expected = new ArrayList<>();
      if (!fields[3].isEmpty()) {
        for (String hit : fields[3].split(",")) {
          int colon = hit.lastIndexOf(':');
          expected.add(new GoldenQuery.Expected(decode(hit.substring(0, colon)), Float.parseFloat(hit.substring(colon + 1))));
        }
      }
      String text = fields[2].equals("-") ? null : decode(fields[2].substring(1));
      return new GoldenQuery(decode(fields[0]), text, decodeVector(fields[1]), expected);
    } catch (RuntimeException e) {
      throw damaged(file, line, e.getMessage());
    }
  }

  private static StrataException damaged(Path file, int line, String why) {
    return new StrataException(WHAT + " " + file + ", line " + (line + 1) + ": " + why + "; the file is damaged");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encodeVector(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] decodeVector(String s) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(v);
    return v;
  }
}
