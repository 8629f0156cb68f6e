package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.intArg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.BruteForce;
import dev.strata.core.testing.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Ingest throughput and search latency/recall of a {@link VectorIndex}, on seeded clustered
 * vectors, in one process. Not JMH: a build and a recall curve are long runs, not micro-benchmarks.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.IngestSearchHarness [docs=100000] [dim=384] [queries=1000] [rounds=5] [ef=10,20,40,100]
 * </pre>
 *
 * <p>Ingest is reported per tenth of the corpus, so a cost that grows with the index shows. Search
 * runs every ef setting in each round, alternating, and reports the median round and the range,
 * since these machines drift between rounds (see ../shared/BENCHMARKING.md).
 */
public final class IngestSearchHarness {
  private static final int K = 10;
  private static final int BATCH = 1_000;

  public static void main(String[] args) throws IOException {
    int docs = intArg(args, "docs", 100_000);
    int dim = intArg(args, "dim", 384);
    int queries = intArg(args, "queries", 1_000);
    int rounds = intArg(args, "rounds", 5);
    int[] efs = Arrays.stream(arg(args, "ef", "10,20,40,100").split(",")).mapToInt(Integer::parseInt).toArray();

    float[][] all = ClusteredVectors.generate(7, docs + queries, dim, 100);
    float[][] corpus = Arrays.copyOf(all, docs);
    float[][] queryVectors = Arrays.copyOfRange(all, docs, docs + queries);
    System.out.printf(Locale.ROOT, "# %d docs x %d dims, cosine, M=16, beam=100; %d queries, k=%d%n", docs, dim, queries, K);

    Path dir = Files.createTempDirectory("strata-harness");
    try (VectorIndex index = VectorIndex.create(dir.resolve("index"), IndexSchema.builder(dim, Similarity.COSINE).build())) {
      ingest(index, corpus);
      List<Set<String>> truth = groundTruth(corpus, queryVectors);
      search(index, queryVectors, truth, efs, rounds);
    } finally {
      HarnessSupport.deleteTree(dir);
    }
  }

  private static void ingest(VectorIndex index, float[][] corpus) {
    int tenth = Math.max(BATCH, corpus.length / 10);
    long start = System.nanoTime();
    long sliceStart = start;
    System.out.println("| docs indexed | upserts/s in this slice |");
    System.out.println("|---|---|");
    List<Record> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < corpus.length; i++) {
      batch.add(Record.of("doc-" + i, corpus[i]));
      if (batch.size() == BATCH || i == corpus.length - 1) {
        index.upsertAll(batch);
        batch.clear();
      }
      if ((i + 1) % tenth == 0) {
        long now = System.nanoTime();
        System.out.printf(Locale.ROOT, "| %d | %.0f |%n", i + 1, tenth / ((now - sliceStart) / 1e9));
        sliceStart = now;
      }
    }
    long beforeCommit = System.nanoTime();
    index.commit("harness corpus");
    long committed = System.nanoTime();
    HarnessSupport.awaitGraphBuild(index); // a bulk load's graph is built after its commit: searches wait for it here
    long end = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "ingest: %d docs in %.1f s = %.0f docs/s (commit %.1f s, then graph build %.1f s); %d segments, %.1f MiB%n%n",
        corpus.length, (end - start) / 1e9, corpus.length / ((end - start) / 1e9), (committed - beforeCommit) / 1e9,
        (end - committed) / 1e9, index.stats().segments(), index.stats().bytes() / 1048576.0);
  }

  private static List<Set<String>> groundTruth(float[][] corpus, float[][] queries) {
    return IntStream.range(0, queries.length)
        .parallel()
        .mapToObj(q -> {
          Set<String> ids = new HashSet<>();
          for (int i : BruteForce.topK(corpus, queries[q], K, Similarity.COSINE)) {
            ids.add("doc-" + i);
          }
          return ids;
        })
        .toList();
  }

  private static void search(VectorIndex index, float[][] queries, List<Set<String>> truth, int[] efs, int rounds) {
    for (int ef : efs) { // warm-up: JIT and page cache
      runQueries(index, queries, truth, ef);
    }
    double[][] qps = new double[efs.length][rounds];
    double[][] p50 = new double[efs.length][rounds];
    double[][] p99 = new double[efs.length][rounds];
    double[] recall = new double[efs.length];
    for (int r = 0; r < rounds; r++) {
      for (int e = 0; e < efs.length; e++) {
        long[] latencies = new long[queries.length];
        long start = System.nanoTime();
        recall[e] = runQueries(index, queries, truth, efs[e], latencies);
        qps[e][r] = queries.length / ((System.nanoTime() - start) / 1e9);
        Arrays.sort(latencies);
        p50[e][r] = latencies[latencies.length / 2] / 1e3;
        p99[e][r] = latencies[(int) (latencies.length * 0.99)] / 1e3;
      }
    }
    System.out.println("| ef | recall@10 | QPS median (min-max) | p50 µs median | p99 µs median |");
    System.out.println("|---|---|---|---|---|");
    for (int e = 0; e < efs.length; e++) {
      System.out.printf(
          Locale.ROOT, "| %d | %.3f | %.0f (%.0f-%.0f) | %.0f | %.0f |%n",
          efs[e], recall[e], median(qps[e]), min(qps[e]), max(qps[e]), median(p50[e]), median(p99[e]));
    }
  }

  private static double runQueries(VectorIndex index, float[][] queries, List<Set<String>> truth, int ef) {
    return runQueries(index, queries, truth, ef, new long[queries.length]);
  }

  private static double runQueries(
      VectorIndex index, float[][] queries, List<Set<String>> truth, int ef, long[] latencies) {
    long found = 0;
    for (int q = 0; q < queries.length; q++) {
      long t0 = System.nanoTime();
      SearchResult result = index.search(SearchRequest.builder(queries[q]).k(K).ef(Math.max(ef, K)).build());
      latencies[q] = System.nanoTime() - t0;
      Set<String> expected = truth.get(q);
      found += result.hits().stream().filter(h -> expected.contains(h.id())).count();
    }
    return found / (double) (queries.length * K);
  }
}
