package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.intArg;

import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.LuceneFields;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.kernels.VectorKernels;
import dev.strata.core.testing.ClusteredVectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;

/**
 * The recall/throughput harness: one dataset, each library built on it (timed), then for every
 * search effort in a grid, recall@10 against exact ground truth and single-thread queries per
 * second (median of {@code rounds} passes after a warm-up pass). Libraries: Strata through its
 * public search API, asking for ids only (what the native libraries return: labels and
 * distances), and again with its default hits (stored text and metadata); raw Lucene {@code
 * KnnFloatVectorQuery} on the very same index, ids from the same doc values (so Strata's overhead
 * is one ratio); and the native anchors, hnswlib and FAISS, when their programs are given ({@code
 * bin/bench ann} builds and passes them). The Strata and Lucene paths and hnswlib (kept running
 * beside the harness, see {@link InterleavedAnchor}) take turns round by round, so a drift of the
 * machine hits all of them; FAISS runs after, on its own.
 *
 * <p>Vectors are normalised and compared by inner product everywhere (cosine for unit vectors).
 *
 * <pre>
 * AnnHarness [base=F.fvecs queries=F.fvecs [truth=F.ivecs]] | [beir=DIR [model=default|default-fp32] [passages=N]]
 *            | [n=100000 dim=384 queryCount=1000 [mixture=1000 rank=16 noise=0.1]]
 *            efs=10,20,... rounds=3 recallTarget=0.95 m=16 efConstruction=100 encoding=float32 deferGraphs=true
 *            build=harness|default textBytes=0 buildThreads=1 searchThreads=1 vectorOrder=false out=DIR
 *            [hnswlib=PROGRAM] [faiss=SCRIPT] [python=/usr/bin/python3]
 * </pre>
 * Writes DIR/ann-results.{csv,md,png} and prints the summary JSON last on stdout.
 *
 * <p>{@code build=harness} (the default, as every earlier run): one flush of the whole corpus
 * without graphs, then a compaction to one segment. {@code build=default}: the index's default
 * options, as {@code index-admin ingest} and a service's {@code upsertAll} get them: 64 MB
 * flushes, background merges, the bulk load's own graph build, waited for. {@code textBytes=N}
 * gives each record a text of about N bytes and two metadata fields, for the stored-hits row.
 */
public final class AnnHarness {
  private static final int K = 10;

  private AnnHarness() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(arg(args, "out", "target/ann"));
    Files.createDirectories(out);
    int m = intArg(args, "m", 16);
    int efConstruction = intArg(args, "efConstruction", 100);
    int rounds = intArg(args, "rounds", 3);
    double recallTarget = Double.parseDouble(arg(args, "recallTarget", "0.95"));
    int[] efs = Arrays.stream(arg(args, "efs", "10,16,24,32,40,50,64,80,100,128,160,200").split(","))
        .mapToInt(s -> Integer.parseInt(s.strip())).toArray();

    String name;
    float[][] base;
    float[][] queries;
    int[][] truth = null;
    if (!arg(args, "beir", "").isEmpty()) {
      BeirVectors.Vectors real = BeirVectors.load(
          Path.of(arg(args, "beir", "")), arg(args, "model", "default"), out.resolve("cache"), intArg(args, "passages", 0));
      name = real.name();
      base = normalize(real.base());
      queries = normalize(real.queries());
      int queryCount = intArg(args, "queryCount", queries.length);
      queries = Arrays.copyOfRange(queries, 0, Math.min(queryCount, queries.length));
    } else if (!arg(args, "base", "").isEmpty()) {
      name = Path.of(arg(args, "base", "")).getFileName().toString();
      base = normalize(VectorFiles.readFvecs(Path.of(arg(args, "base", ""))));
      queries = normalize(VectorFiles.readFvecs(Path.of(arg(args, "queries", ""))));
      if (!arg(args, "truth", "").isEmpty()) {
        truth = VectorFiles.readIvecs(Path.of(arg(args, "truth", "")));
      }
    } else {
      int n = intArg(args, "n", 100_000);
      int dim = intArg(args, "dim", 384);
      int queryCount = intArg(args, "queryCount", 1_000);
      int mixture = intArg(args, "mixture", 0); // components of a low-rank mixture; 0: 100 isotropic clusters
      int rank = intArg(args, "rank", 16);
      float[][] all = normalize(mixture > 0
          ? LowRankMixture.generate(42, n + queryCount, dim, mixture, rank, Double.parseDouble(arg(args, "noise", "0.1")))
          : ClusteredVectors.generate(42, n + queryCount, dim, 100));
      name = mixture > 0 ? "low-rank-mixture-" + mixture + "x" + rank + "-seed42" : "synthetic-clustered-seed42";
      base = Arrays.copyOfRange(all, 0, n);
      queries = Arrays.copyOfRange(all, n, n + queryCount); // held out: not in the index
    }
    if (truth == null) {
      long t = System.nanoTime();
      truth = exactTopK(base, queries);
      System.err.printf("ground truth by exact search (%s kernels): %.1f s%n", VectorKernels.provider(), (System.nanoTime() - t) / 1e9);
    }
    VectorFiles.writeFvecs(out.resolve("base.fvecs"), base);
    VectorFiles.writeFvecs(out.resolve("queries.fvecs"), queries);
    VectorFiles.writeIvecs(out.resolve("truth.ivecs"), truth);

    AnnReport report = new AnnReport(name, base.length, base[0].length, recallTarget);
    VectorEncoding encoding = VectorEncoding.parse(arg(args, "encoding", "float32"));
    boolean deferGraphs = Boolean.parseBoolean(arg(args, "deferGraphs", "true"));
    boolean vectorOrder = Boolean.parseBoolean(arg(args, "vectorOrder", "false")); // IndexOptions.vectorOrder, off by default
    // Build threads, the same for every library: hnswlib adds points from that many threads,
    // Strata's merge builds its graph with that many workers. Searches stay on one thread.
    int buildThreads = intArg(args, "buildThreads", 1);
    // Search threads, the same for every library: the queries of a pass shared among them, QPS
    // the whole pass's (throughput on all cores, not one query's latency).
    int searchThreads = intArg(args, "searchThreads", 1);
    BuildPath buildPath = BuildPath.valueOf(arg(args, "build", "harness").toUpperCase(java.util.Locale.ROOT));
    int textBytes = intArg(args, "textBytes", 0);
    // hnswlib builds first, alone, then waits; its rounds are interleaved with Strata's.
    InterleavedAnchor hnswlib = null;
    if (!arg(args, "hnswlib", "").isEmpty()) {
      hnswlib = InterleavedAnchor.start("hnswlib (C++ -O3 -march=native)", List.of(arg(args, "hnswlib", ""),
          out.resolve("base.fvecs").toString(), out.resolve("queries.fvecs").toString(),
          out.resolve("truth.ivecs").toString(), Integer.toString(m), Integer.toString(efConstruction)),
          Map.of("HNSW_BUILD_THREADS", Integer.toString(buildThreads)));
      System.err.printf("%s build (%d threads): %.1f s%n", hnswlib.name(), buildThreads, hnswlib.buildSeconds());
      report.library(new AnnReport.Library(hnswlib.name(), hnswlib.buildSeconds(), buildThreads, searchThreads,
          hnswlib.indexBytes(), hnswlib.rssBytes()));
      report.reference(hnswlib.name());
    }
    try {
      runStrataAndLucene(report, out.resolve("strata-index"), base, queries, truth, m, efConstruction, rounds, efs,
          encoding, deferGraphs, vectorOrder, buildPath, textBytes, buildThreads, searchThreads, hnswlib);
    } finally {
      if (hnswlib != null) {
        hnswlib.close();
      }
    }
    String python = arg(args, "python", "/usr/bin/python3");
    if (!arg(args, "faiss", "").isEmpty()) {
      runAnchor(report, "FAISS HNSWFlat (Debian)", List.of(python, arg(args, "faiss", "")), out, m, efConstruction, rounds, efs);
    }
    report.write(out);
    System.err.println(report.markdown());
    System.err.println("wrote " + out.resolve("ann-results.csv") + ", ann-results.md and ann-recall-qps.png");
    System.out.println(AnnReport.json(report.summary()));
  }

  private static void runStrataAndLucene(
      AnnReport report, Path dir, float[][] base, float[][] queries, int[][] truth,
      int m, int efConstruction, int rounds, int[] efs, VectorEncoding encoding, boolean deferGraphs, boolean vectorOrder,
      BuildPath buildPath, int textBytes, int buildThreads, int searchThreads, InterleavedAnchor anchor) throws IOException {
    if (Files.exists(dir)) {
      HarnessSupport.deleteTree(dir);
    }
    IndexSchema schema = IndexSchema.builder(base[0].length, Similarity.DOT_PRODUCT)
        .hnswM(m).hnswBeamWidth(efConstruction).encoding(encoding).fullText(false).build();
    // Quantized: the graph searched with int8/int4/binary scores, its ef candidates re-scored in
    // float32 by Strata (raw Lucene's row is the quantized graph alone).
    String strataName = encoding == VectorEncoding.FLOAT32 ? "Strata" : "Strata " + encoding.externalName() + " + float32 rescore";
    String luceneName = encoding == VectorEncoding.FLOAT32 ? "raw Lucene 10.6 (same index)" : "raw Lucene 10.6 (same " + encoding.externalName() + " index)";
    // One flush of the whole corpus, no concurrent merges; with deferred graphs the flush writes
    // the vectors alone and the compaction builds the one graph, on this thread either way.
    // Only the last snapshot kept: the index's bytes are the searched segment's, not also the
    // graph-less one the compaction replaced.
    IndexOptions options = buildPath == BuildPath.HARNESS
        ? IndexOptions.builder().ramBufferMb(2048).backgroundMerges(false).deferGraphs(deferGraphs)
            .mergeWorkers(buildThreads).retention(RetentionPolicy.keepLast(1)).vectorOrder(vectorOrder).build()
        : IndexOptions.builder().mergeWorkers(buildThreads).retention(RetentionPolicy.keepLast(1)).vectorOrder(vectorOrder).build();
    List<String> texts = textBytes > 0 ? SyntheticTexts.of(base.length, textBytes, 42) : null;
    long start = System.nanoTime();
    try (VectorIndex index = VectorIndex.create(dir, schema, options)) {
      List<Record> batch = new ArrayList<>(1_000);
      for (int i = 0; i < base.length; i++) {
        batch.add(texts == null ? Record.of(Integer.toString(i), base[i])
            : new Record(Integer.toString(i), base[i], texts.get(i), Map.of("source", "doc-" + i % 100, "position", (double) i)));
        if (batch.size() == 1_000 || i == base.length - 1) {
          index.upsertAll(batch);
          batch.clear();
        }
      }
      index.commit("ann corpus");
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      if (buildPath == BuildPath.HARNESS) {
        new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).prune(true).build());
      } else {
        HarnessSupport.awaitGraphBuild(index);
      }
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      IndexStats built = index.stats();
      long bytes = built.bytes();
      System.err.printf("Strata build (%s): %.1f s, %d segment(s), %d without graph, %.1f MiB%n",
          buildPath == BuildPath.DEFAULT ? "default options: the bulk load's graph build"
              : deferGraphs ? "graph built by the compaction" : "graph built as records arrive", buildSeconds,
          built.segments(), built.graphlessSegments(), bytes / 1048576.0);
      System.err.printf("  of which records written and committed: %.1f s, graph build: %.1f s%n", loadSeconds,
          buildSeconds - loadSeconds);

      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
        IndexSearcher lucene = new IndexSearcher(reader);
        List<SearchPath> paths = List.of(
            new SearchPath(strataName, (query, ef) -> ids(index.search(
                SearchRequest.builder(query).k(K).ef(ef).idsOnly(true).build()).hits())),
            new SearchPath(strataName + " (hits with stored text and metadata)", (query, ef) -> ids(index.search(
                SearchRequest.builder(query).k(K).ef(ef).build()).hits())),
            new SearchPath(luceneName, (query, ef) -> luceneIds(lucene, query, ef)));
        // Every path compiled before the first measured effort: one warm-up pass per effort left
        // the lowest efforts slower than the next ones in the first real-data run.
        for (int pass = 0; pass < 3; pass++) {
          for (SearchPath path : paths) {
            for (float[] query : queries) {
              path.search().ids(query, efs[efs.length / 2]);
            }
          }
        }
        // The JVM's resident set once every path has searched: heap, code, and the index's mapped
        // pages the searches touched (one JVM holds Strata and raw Lucene, so they share the figure).
        long rss = HarnessSupport.residentBytes();
        report.library(new AnnReport.Library(strataName, buildSeconds, buildThreads, searchThreads, bytes, rss));
        report.library(new AnnReport.Library(luceneName, buildSeconds, buildThreads, searchThreads, bytes, rss));
        report.library(new AnnReport.Library(paths.get(1).name(), buildSeconds, buildThreads, searchThreads, bytes, rss));
        for (int ef : efs) {
          double[][] qps = new double[paths.size()][rounds];
          double[] recall = new double[paths.size()];
          double[] anchorQps = new double[rounds];
          double anchorRecall = 0;
          for (int r = -1; r < rounds; r++) { // r = -1 warms every path up at this effort
            for (int p = 0; p < paths.size(); p++) { // alternating, so a drift of the machine hits all
              long t = System.nanoTime();
              int found = pass(paths.get(p).search(), queries, truth, Math.max(K, ef), searchThreads);
              double seconds = (System.nanoTime() - t) / 1e9;
              if (r >= 0) {
                qps[p][r] = queries.length / seconds;
              }
              recall[p] = found / (double) (K * queries.length);
            }
            if (anchor != null) {
              double[] measured = anchor.measure(Math.max(K, ef), searchThreads);
              anchorRecall = measured[0];
              if (r >= 0) {
                anchorQps[r] = measured[1];
              }
            }
          }
          StringBuilder line = new StringBuilder("ef " + ef + ":");
          for (int p = 0; p < paths.size(); p++) {
            report.point(point(paths.get(p).name(), ef, recall[p], qps[p]));
            line.append(String.format("  %s recall %.4f %,.0f q/s;", paths.get(p).name(), recall[p], HarnessSupport.median(qps[p])));
          }
          if (anchor != null) {
            report.point(point(anchor.name(), ef, anchorRecall, anchorQps));
            line.append(String.format("  %s recall %.4f %,.0f q/s;", anchor.name(), anchorRecall, HarnessSupport.median(anchorQps)));
          }
          System.err.println(line);
        }
      }
    }
  }

  /** How the harness builds Strata's index (see the class comment). */
  enum BuildPath { HARNESS, DEFAULT }

  /**
   * Every query once at {@code ef}, shared by {@code threads} threads taking the next query as
   * they finish one (as hnswlib's anchor does): the number of true neighbours found.
   */
  static int pass(IdSearch search, float[][] queries, int[][] truth, int ef, int threads) throws IOException {
    if (threads <= 1) {
      int found = 0;
      for (int q = 0; q < queries.length; q++) {
        found += overlap(truth[q], search.ids(queries[q], ef));
      }
      return found;
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger found = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          int mine = 0;
          for (int q; (q = next.getAndIncrement()) < queries.length;) {
            mine += overlap(truth[q], search.ids(queries[q], ef));
          }
          found.addAndGet(mine);
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while searching", e);
      }
    }
    if (failure.get() != null) {
      throw new IOException("a search thread failed", failure.get());
    }
    return found.get();
  }

  /** One way to search the index, measured side by side with the others. */
  private record SearchPath(String name, IdSearch search) {}

  @FunctionalInterface
  interface IdSearch {
    List<Integer> ids(float[] query, int ef) throws IOException;
  }

  private static List<Integer> ids(List<Hit> hits) {
    List<Integer> ids = new ArrayList<>(hits.size());
    for (Hit hit : hits) {
      ids.add(Integer.parseInt(hit.id()));
    }
    return ids;
  }

  /**
   * Raw Lucene doing what Strata's ids-only search does: a {@code KnnFloatVectorQuery}, then the
   * hits' ids from the same doc values Strata reads.
   */
  private static List<Integer> luceneIds(IndexSearcher lucene, float[] query, int ef) throws IOException {
    ScoreDoc[] docs = lucene.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, query, ef), K).scoreDocs;
    List<LeafReaderContext> leaves = lucene.getIndexReader().leaves();
    List<Integer> ids = new ArrayList<>(docs.length);
    for (ScoreDoc sd : docs) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
      BinaryDocValues values = leaf.reader().getBinaryDocValues(LuceneFields.ID_VALUES);
      if (values == null || !values.advanceExact(sd.doc - leaf.docBase)) {
        throw new IllegalStateException("document " + sd.doc + " has no id doc values");
      }
      ids.add(Integer.parseInt(values.binaryValue().utf8ToString()));
    }
    return ids;
  }

  private static AnnReport.Point point(String library, int ef, double recall, double[] qps) {
    return new AnnReport.Point(
        library, ef, recall, HarnessSupport.median(qps), HarnessSupport.min(qps), HarnessSupport.max(qps), qps.clone());
  }

  /** The anchors' output lines, also read by {@link InterleavedAnchor}. */
  static final Pattern BUILD = Pattern.compile("\"buildSeconds\": ([0-9.]+)");
  static final Pattern POINT = Pattern.compile(
      "\"ef\": (\\d+), \"recall\": ([0-9.]+), \"qps\": ([0-9.]+), \"qpsMin\": ([0-9.]+), \"qpsMax\": ([0-9.]+)");

  /** Runs a native anchor on the files this harness wrote and reads its JSON lines. */
  private static void runAnchor(
      AnnReport report, String library, List<String> program, Path out, int m, int efConstruction, int rounds, int[] efs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(program);
    command.addAll(List.of(out.resolve("base.fvecs").toString(), out.resolve("queries.fvecs").toString(),
        out.resolve("truth.ivecs").toString(), Integer.toString(m), Integer.toString(efConstruction), Integer.toString(rounds)));
    for (int ef : efs) {
      command.add(Integer.toString(ef));
    }
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    double build = Double.NaN;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher b = BUILD.matcher(line);
        Matcher p = POINT.matcher(line);
        if (b.find()) {
          build = Double.parseDouble(b.group(1));
          System.err.printf("%s build: %.1f s%n", library, build);
        } else if (p.find()) {
          AnnReport.Point point = new AnnReport.Point(library, Integer.parseInt(p.group(1)), Double.parseDouble(p.group(2)),
              Double.parseDouble(p.group(3)), Double.parseDouble(p.group(4)), Double.parseDouble(p.group(5)));
          report.point(point);
          System.err.printf("ef %d: %s recall %.4f %,.0f q/s%n", point.ef(), library, point.recall(), point.qps());
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(library + " exited with " + exit + ": " + String.join(" ", command));
    }
    report.library(new AnnReport.Library(library, build, 1, 1, -1)); // FAISS: omp_set_num_threads(1)
  }

  private static int overlap(int[] truth, List<Integer> found) {
    Set<Integer> expected = new HashSet<>();
    for (int i = 0; i < Math.min(K, truth.length); i++) {
      expected.add(truth[i]);
    }
    int hits = 0;
    for (int id : found) {
      if (expected.contains(id)) {
        hits++;
      }
    }
    return hits;
  }

  private static float[][] normalize(float[][] vectors) {
    return ClusteredVectors.normalizeAll(vectors);
  }

  /** The true top-k of every query by inner product: the batched kernel over a packed copy of the base, queries in parallel. */
  static int[][] exactTopK(float[][] base, float[][] queries) {
    int dim = base[0].length;
    float[] matrix = new float[base.length * dim];
    for (int i = 0; i < base.length; i++) {
      System.arraycopy(base[i], 0, matrix, i * dim, dim);
    }
    int[][] truth = new int[queries.length][];
    IntStream.range(0, queries.length).parallel().forEach(q -> {
      float[] scores = new float[base.length];
      VectorKernels.dotProductBatch(queries[q], matrix, 0, base.length, scores);
      Integer[] order = IntStream.range(0, base.length).boxed().toArray(Integer[]::new);
      Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
      truth[q] = new int[K * 10];
      for (int i = 0; i < truth[q].length && i < base.length; i++) {
        truth[q][i] = order[i];
      }
    });
    return truth;
  }
}
