package dev.strata.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.Hit;
import dev.strata.core.IndexStats;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.index.TextIndex;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "search",
    header = "Find the nearest records to a vector or a text (vector, BM25 or hybrid search).",
    description = {
      "Find the k nearest records to a vector in the latest snapshot; with --text, also by",
      "keywords (--bm25) or both fused (--hybrid).",
      "Opens the index read-only, so it works while another process writes."
    })
final class SearchCommand implements Callable<Integer> {
  private static final int TEXT_COLUMN = 60;

  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueryVector queryVector;

  static final class QueryVector {
    @Option(names = "--text", paramLabel = "TEXT", description = "Query text, embedded with --model (default: the model the index was built with).")
    String text;

    @Option(names = "--vector", paramLabel = "JSON", description = "Query vector as a JSON array.")
    String inline;

    @Option(
        names = "--vector-file",
        paramLabel = "FILE",
        description = "File holding the query vector as a JSON array.")
    Path file;

    String json() throws IOException {
      if (inline != null) {
        return inline;
      }
      InputFiles.requireRegularFile(file, "vector file");
      return Files.readString(file);
    }
  }

  @Mixin SearchDepth depth;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description = "field=value, field>=n, field<=n, field>n or field<n; repeat to AND them.")
  List<String> filters;

  @Option(names = "--min-score", description = "Drop hits scoring below this.")
  Float minScore;

  @Option(names = "--exact", description = "Score every stored vector (the true nearest neighbours) instead of searching the graph.")
  boolean exact;

  @Option(names = "--hybrid", description = "With --text: fuse the vector hits with BM25 keyword hits over the records' texts.")
  boolean hybrid;

  @Option(names = "--bm25", description = "With --text: BM25 keyword search alone; no model is loaded.")
  boolean bm25;

  @Option(names = "--ids-only", description = "Hits with id and score only: the stored texts and metadata are not read.")
  boolean idsOnly;

  @Option(names = "--provenance", description = "Also show where each hit came from: the snapshot that last wrote it"
      + " and its source label (JSON: provenance {writtenIn, source, model}).")
  boolean provenance;

  @Option(names = "--explain", description = "Also say how the search went: its path (graph, lucene_query, exact, text,"
      + " hybrid), the effort, and the segments searched, with those still without their HNSW graph (scanned exhaustively).")
  boolean explain;

  @Option(names = "--timeout", paramLabel = "MS", description = "Give up after MS milliseconds (embedding the"
      + " query and waiting for admission included): the hits found by then, flagged timedOut (exit 0).")
  Long timeoutMillis;

  @Mixin FusionOptions fusionOptions;
  @Mixin ModelOptions modelOptions;
  @Mixin RawVectorSource rawSource;

  @Mixin SnapshotOption snapshotOption;

  @Override
  public Integer call() throws IOException {
    SearchResult result;
    SearchRequest searched;
    IndexStats latest;
    long start = System.nanoTime();
    if (timeoutMillis != null && timeoutMillis < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1 ms, got " + timeoutMillis);
    }
    try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions())) {
      SearchRequest.Builder request = depth.applyTo(queryFor(index)).exact(exact).idsOnly(idsOnly).provenance(provenance);
      if (timeoutMillis != null) { // what is left of it once the query is embedded (at least 1 ns: then it times out)
        request.timeout(java.time.Duration.ofNanos(Math.max(1, timeoutMillis * 1_000_000 - (System.nanoTime() - start))));
      }
      if (minScore != null) {
        request.minScore(minScore);
      }
      if (filters != null && !filters.isEmpty()) {
        request.filter(FilterExpressions.parse(filters, index.metadataFields()));
      }
      searched = request.build();
      latest = explain ? index.stats() : null; // a directory listing: only when asked for
      if (snapshotOption.snapshot == null) {
        result = index.search(searched);
      } else {
        try (SnapshotView view = index.history().open(snapshotOption.snapshot)) {
          result = view.search(searched);
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    // Segment counts are the latest snapshot's: they describe an older one only if nothing merged since.
    Map<String, Object> explained = explain ? explanation(result, searched, latest) : null;
    if (format.json) {
      Map<String, Object> doc = Json.searchResult(result);
      if (explained != null) {
        doc.put("explain", explained);
      }
      Json.print(out, doc);
    } else {
      printTable(out, result);
      if (result.timedOut()) {
        out.println("(timed out after " + timeoutMillis + " ms: these are the hits found by then)");
      }
      if (explained != null) {
        out.println("explain:");
        explained.forEach((key, value) -> out.printf("  %-18s %s%n", key, value));
      }
    }
    return ExitCodes.OK;
  }

  private static Map<String, Object> explanation(SearchResult result, SearchRequest request, IndexStats latest) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", result.path() == null ? null : result.path().externalName());
    m.put("k", request.k());
    m.put("ef", request.hasVector() ? request.ef() : null);
    m.put("filtered", request.filter() != null);
    m.put("snapshot", result.snapshotId());
    m.put("segments", result.snapshotId() == latest.snapshot().id() ? latest.segments() : null);
    m.put("graphlessSegments", result.snapshotId() == latest.snapshot().id() ? latest.graphlessSegments() : null);
    m.put("graphBuildRunning", latest.graphBuildRunning());
    return m;
  }

  /** Embeds --text with the index's own model (or refuses), or takes the given vector. */
  private SearchRequest.Builder queryFor(VectorIndex index) throws IOException {
    if ((hybrid || bm25) && queryVector.text == null) {
      throw new IllegalArgumentException((hybrid ? "--hybrid" : "--bm25") + " needs --text");
    }
    if (hybrid && bm25) {
      throw new IllegalArgumentException("--hybrid and --bm25 exclude each other");
    }
    if (bm25) {
      if (modelOptions.given() || exact) {
        throw new IllegalArgumentException("--bm25 searches by keywords only: --model and --exact do not apply");
      }
      return SearchRequest.forText(queryVector.text);
    }
    if (queryVector.text == null) {
      if (modelOptions.given()) {
        throw new IllegalArgumentException("--model applies to --text queries only");
      }
      return SearchRequest.builder(parseVector(queryVector.json())).source(rawSource.source());
    }
    try (OnnxEmbedder embedder = modelOptions.loadFor(index.schema())) {
      TextIndex.of(index, embedder); // refuses a model other than the index's
      SearchRequest.Builder request = SearchRequest.builder(embedder.embed(queryVector.text))
          .source(VectorSource.model(embedder.fingerprint()));
      return hybrid ? request.text(queryVector.text).fusion(fusionOptions.fusion()) : request;
    }
  }

  static float[] parseVector(String text) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("query vector is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("query vector must be a non-empty JSON array of numbers");
    }
    float[] v = new float[node.size()];
    for (int i = 0; i < v.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IllegalArgumentException("query vector[" + i + "] is not a number: " + node.get(i));
      }
      v[i] = (float) node.get(i).doubleValue();
    }
    return v;
  }

  private static void printTable(PrintWriter out, SearchResult result) {
    out.printf(
        Locale.ROOT, "snapshot %d, %d hits, %.2f ms%s%n", result.snapshotId(), result.hits().size(), result.tookNanos() / 1e6,
        result.path() == null ? "" : ", path " + result.path().externalName());
    if (result.hits().isEmpty()) {
      return;
    }
    int idWidth = Math.max(2, result.hits().stream().mapToInt(h -> h.id().length()).max().orElse(2));
    boolean withProvenance = result.hits().get(0).provenance() != null;
    String row = "%4s  %-" + idWidth + "s  %8s  %-" + TEXT_COLUMN + "s  %s" + (withProvenance ? "  %s" : "%s") + "%n";
    out.printf(row, "rank", "id", "score", "text", "metadata", withProvenance ? "written in / source" : "");
    int rank = 1;
    for (Hit hit : result.hits()) {
      out.printf(
          Locale.ROOT,
          row,
          rank++,
          hit.id(),
          String.format(Locale.ROOT, "%.4f", hit.score()),
          abbreviate(hit.text()),
          hit.metadata().isEmpty() ? "" : Json.displayMetadata(hit.metadata()),
          hit.provenance() == null ? "" : hit.provenance().writtenIn() + " / "
              + (hit.provenance().source() == null ? "(none)" : hit.provenance().source()));
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= TEXT_COLUMN ? oneLine : oneLine.substring(0, TEXT_COLUMN - 3) + "...";
  }
}
