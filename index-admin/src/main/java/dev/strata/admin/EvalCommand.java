package dev.strata.admin;

import dev.strata.core.Fusion;
import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "eval",
    header = "Measure retrieval quality (recall, nDCG) on a BEIR dataset.",
    description = {
      "Measure retrieval quality on a BEIR dataset (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv):",
      "embed the corpus (title and text joined by a space, as MTEB does; cached by model fingerprint),",
      "index it in a temporary index, run every judged query and report nDCG@10, recall@10,",
      "recall@100 and MRR@10 as trec_eval computes them, with the time each phase took."
    })
final class EvalCommand implements Callable<Integer> {
  /** Documents per embedder call: small enough for a smooth progress bar, large enough to batch well. */
  private static final int EMBED_CHUNK = 128;
  /** Hits kept per query: recall@100 needs the top 100. */
  private static final int DEPTH = 100;

  enum Mode { DENSE, BM25, HYBRID }

  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Parameters(index = "0", paramLabel = "DATASET_DIR", description = "A dataset in the BEIR layout.")
  Path datasetDir;

  @Option(names = "--split", defaultValue = "test", description = "Judgements to use: qrels/SPLIT.tsv (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--mode", defaultValue = "dense", completionCandidates = Choices.EvalModes.class,
      description = "One of ${COMPLETION-CANDIDATES}: dense (vectors), bm25 (text only, no model) or hybrid"
          + " (both, fused) (default: ${DEFAULT-VALUE}).")
  Mode mode;

  @Option(names = "--encoding", defaultValue = "float32",
      description = "How the index stores vectors: float32, int8, int4 or binary (default: ${DEFAULT-VALUE}).")
  String encoding;

  @Option(names = "--exact", description = "Score every vector (brute force) instead of searching the HNSW graph.")
  boolean exact;

  @Option(names = "--ef", defaultValue = "100",
      description = "HNSW search effort, at least 100; in hybrid mode also the hits of each list fused (default: ${DEFAULT-VALUE}).")
  int ef;

  @Mixin FusionOptions fusionOptions;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where corpus embeddings are cached (default: $XDG_CACHE_HOME/strata/embeddings or ~/.cache/strata/embeddings).")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Embed the corpus even if a cached copy exists, and do not write one.")
  boolean noCache;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Mode searchMode = mode;
    VectorEncoding vectorEncoding = VectorEncoding.parse(encoding);
    Fusion hybridFusion = fusionOptions.fusion();
    if (ef < DEPTH) {
      throw new IllegalArgumentException("--ef must be at least " + DEPTH + " (recall@100 needs 100 hits), got " + ef);
    }
    if (searchMode == Mode.BM25 && (exact || modelOptions.given())) {
      throw new IllegalArgumentException("--mode bm25 searches text only: --exact and --model do not apply");
    }
    long started = System.nanoTime();
    BeirDataset dataset = BeirDataset.load(datasetDir, split);
    Map<String, Object> seconds = new LinkedHashMap<>();
    seconds.put("load", elapsed(started));

    Path work = Files.createTempDirectory("strata-eval-");
    try (OnnxEmbedder embedder = searchMode == Mode.BM25 ? null : modelOptions.load()) {
      Vectors corpus = embedCorpus(dataset, embedder, seconds);
      long t = System.nanoTime();
      try (VectorIndex index = buildIndex(work.resolve("index"), dataset, corpus, embedder, vectorEncoding)) {
        seconds.put("index", elapsed(t));
        t = System.nanoTime();
        List<String> queryIds = new ArrayList<>(dataset.queries().keySet());
        List<float[]> queryVectors = embedder == null ? null
            : embedder.embed(queryIds.stream().map(dataset.queries()::get).toList());
        seconds.put("embedQueries", elapsed(t));
        t = System.nanoTime();
        VectorSource source = embedder == null ? VectorSource.UNSTATED : VectorSource.model(embedder.fingerprint());
        List<RetrievalMetrics.QueryScores> perQuery = new ArrayList<>();
        for (int q = 0; q < queryIds.size(); q++) {
          String text = dataset.queries().get(queryIds.get(q));
          SearchRequest request = (switch (searchMode) {
                case BM25 -> SearchRequest.forText(text);
                case DENSE -> SearchRequest.builder(queryVectors.get(q)).exact(exact);
                case HYBRID -> SearchRequest.builder(queryVectors.get(q)).exact(exact).text(text).fusion(hybridFusion);
              })
              .k(DEPTH).ef(ef).source(source).build();
          List<RetrievalMetrics.ScoredDoc> run = index.search(request).hits().stream()
              .map((Hit h) -> new RetrievalMetrics.ScoredDoc(h.id(), h.score())).toList();
          perQuery.add(RetrievalMetrics.score(run, dataset.qrels().get(queryIds.get(q))));
        }
        seconds.put("search", elapsed(t));
        seconds.put("total", elapsed(started));
        report(dataset, searchMode, vectorEncoding, embedder, corpus.cached, RetrievalMetrics.mean(perQuery),
            perQuery.size(), seconds);
      }
    } finally {
      WorkDirectories.delete(work);
    }
    return ExitCodes.OK;
  }

  /** The corpus vectors in document order, and whether they came from the cache. */
  private record Vectors(List<float[]> vectors, boolean cached) {}

  private Vectors embedCorpus(BeirDataset dataset, OnnxEmbedder embedder, Map<String, Object> seconds) throws IOException {
    long t = System.nanoTime();
    if (embedder == null) {
      return new Vectors(null, false);
    }
    EmbeddingCache cache = new EmbeddingCache(cacheDir != null ? cacheDir : EmbeddingCache.defaultDir());
    String key = EmbeddingCache.key(
        embedder.fingerprint().encoded(), datasetDir.resolve("corpus.jsonl"), "beir-title-space-text-v1");
    if (!noCache) {
      var hit = cache.read(key, dataset.documents().size(), embedder.dimension());
      if (hit.isPresent()) {
        seconds.put("embedCorpus", elapsed(t));
        return new Vectors(hit.get(), true);
      }
    }
    List<String> texts = dataset.documents().stream().map(BeirDataset.Document::text).toList();
    // Longest first, as MTEB encodes, so each batch holds texts of similar length and pads little.
    int[] order = IntStream.range(0, texts.size()).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> texts.get(i).length()).reversed())
        .mapToInt(Integer::intValue).toArray();
    float[][] vectors = new float[texts.size()][];
    ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), "embedding", "embedded", "documents", texts.size());
    for (int from = 0; from < order.length; from += EMBED_CHUNK) {
      int to = Math.min(order.length, from + EMBED_CHUNK);
      List<String> chunk = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        chunk.add(texts.get(order[i]));
      }
      List<float[]> embedded = embedder.embed(chunk);
      for (int i = from; i < to; i++) {
        vectors[order[i]] = embedded.get(i - from);
      }
      progress.advance(to - from);
    }
    progress.done("with " + embedder.fingerprint().shortForm());
    List<float[]> list = List.of(vectors);
    if (!noCache) {
      cache.write(key, list);
    }
    seconds.put("embedCorpus", elapsed(t));
    return new Vectors(list, false);
  }

  /**
   * A fresh index of the corpus, merged to one segment so the numbers do not depend on how the
   * writes happened to be flushed. In bm25 mode every record gets the same one-dimensional
   * placeholder vector: an index needs vectors, and BM25 never reads them.
   */
  private static VectorIndex buildIndex(
      Path path, BeirDataset dataset, Vectors corpus, OnnxEmbedder embedder, VectorEncoding encoding) {
    IndexSchema schema = embedder == null
        ? IndexSchema.builder(1, Similarity.COSINE).build()
        : IndexSchema.forEmbedder(embedder).encoding(encoding).build();
    VectorSource source = embedder == null ? VectorSource.UNSTATED : VectorSource.model(embedder.fingerprint());
    VectorIndex index = VectorIndex.create(path, schema);
    try {
      List<Record> batch = new ArrayList<>();
      for (int i = 0; i < dataset.documents().size(); i++) {
        BeirDataset.Document doc = dataset.documents().get(i);
        float[] vector = corpus.vectors == null ? new float[] {1} : corpus.vectors.get(i);
        batch.add(new Record(doc.id(), vector, doc.text(), Map.of()));
        if (batch.size() == 1_000) {
          index.upsertAll(batch, source);
          batch.clear();
        }
      }
      index.upsertAll(batch, source);
      index.commit("eval corpus " + dataset.name());
      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      return index;
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  private void report(
      BeirDataset dataset, Mode searchMode, VectorEncoding vectorEncoding, OnnxEmbedder embedder, boolean cached,
      RetrievalMetrics.QueryScores mean, int queries, Map<String, Object> seconds) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataset", dataset.name());
    out.put("split", split);
    out.put("documents", dataset.documents().size());
    out.put("queries", queries);
    out.put("mode", Choices.name(searchMode));
    out.put("encoding", searchMode == Mode.BM25 ? null : vectorEncoding.externalName());
    out.put("exact", exact);
    out.put("fusion", searchMode == Mode.HYBRID ? fusionOptions.name() : null);
    out.put("modelFingerprint", embedder == null ? null : embedder.fingerprint().encoded());
    out.put("ndcg@10", round(mean.ndcg10()));
    out.put("recall@10", round(mean.recall10()));
    out.put("recall@100", round(mean.recall100()));
    out.put("mrr@10", round(mean.mrr10()));
    out.put("embeddingsCached", cached);
    out.put("seconds", seconds);
    var w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, out);
      return;
    }
    w.printf("%s (%s): %d queries, %d documents; mode %s%s%s%n", dataset.name(), split, queries,
        dataset.documents().size(), out.get("mode"),
        searchMode == Mode.BM25 ? "" : ", encoding " + vectorEncoding.externalName() + (exact ? ", exact search" : ", HNSW ef " + ef),
        embedder == null ? "" : ", model " + embedder.fingerprint().shortForm());
    w.printf("  nDCG@10 %.5f   recall@10 %.5f   recall@100 %.5f   MRR@10 %.5f%n",
        mean.ndcg10(), mean.recall10(), mean.recall100(), mean.mrr10());
    w.printf("  seconds: %s%s%n", seconds, cached ? " (corpus embeddings from the cache)" : "");
  }

  private static double round(double value) {
    return Math.round(value * 100_000) / 100_000.0;
  }

  private static double elapsed(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }
}
