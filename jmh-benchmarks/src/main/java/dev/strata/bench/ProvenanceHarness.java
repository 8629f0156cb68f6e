package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What per-record provenance costs: the same records written with and without a source label
 * (each index compacted to one segment, so the bytes compare like for like), the bytes per record
 * the labels and written-in ids add, and search latency with hits' provenance read and without,
 * interleaved round by round on the labelled index (texts and metadata read in both).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.ProvenanceHarness [docs=100000] [dim=384] [sources=20] [queries=1000] [rounds=7]
 * </pre>
 */
public final class ProvenanceHarness {
  public static void main(String[] args) throws IOException {
    int docs = Integer.parseInt(arg(args, "docs", "100000"));
    int dim = Integer.parseInt(arg(args, "dim", "384"));
    int sources = Integer.parseInt(arg(args, "sources", "20"));
    int queryCount = Integer.parseInt(arg(args, "queries", "1000"));
    int rounds = Integer.parseInt(arg(args, "rounds", "7"));
    Path dir = Files.createTempDirectory("strata-provenance");
    try (VectorIndex plain = build(dir.resolve("plain"), docs, dim, 0);
        VectorIndex labelled = build(dir.resolve("labelled"), docs, dim, sources)) {
      float[][] queries = ClusteredVectors.generate(-queryCount - 10, queryCount, dim, 50);
      double[] without = new double[rounds];
      double[] with = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        boolean provenanceFirst = r % 2 == 1; // alternate which goes first
        double a = searchMicros(labelled, queries, provenanceFirst);
        double b = searchMicros(labelled, queries, !provenanceFirst);
        with[r] = provenanceFirst ? a : b;
        without[r] = provenanceFirst ? b : a;
      }
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = with[r] / without[r];
      }
      long plainBytes = plain.stats().bytes();
      long labelledBytes = labelled.stats().bytes();
      System.out.printf(Locale.ROOT, "| docs | sources | index bytes without labels | with | bytes per record added |"
          + " search us without provenance, median (min-max) | with | ratio, median (min-max) |%n");
      System.out.println("|---|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.1f | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %.3f (%.3f-%.3f) |%n",
          docs, sources, plainBytes, labelledBytes, (labelledBytes - plainBytes) / (double) docs,
          median(without), min(without), max(without), median(with), min(with), max(with),
          median(ratio), min(ratio), max(ratio));
    } finally {
      HarnessSupport.deleteTree(dir);
    }
  }

  /** Mean microseconds per search of {@code queries}, k 10, hits with texts and metadata. */
  private static double searchMicros(VectorIndex index, float[][] queries, boolean provenance) {
    long start = System.nanoTime();
    long hits = 0;
    for (float[] q : queries) {
      hits += index.search(SearchRequest.builder(q).k(10).provenance(provenance).build()).hits().size();
    }
    if (hits == 0) {
      throw new IllegalStateException("no hits");
    }
    return (System.nanoTime() - start) / 1e3 / queries.length;
  }

  /** {@code docs} records with text and metadata, labelled round-robin with {@code sources} labels (0: none). */
  private static VectorIndex build(Path path, int docs, int dim, int sources) {
    VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build());
    int batch = 5_000;
    for (int from = 0; from < docs; from += batch) {
      float[][] vectors = ClusteredVectors.generate(from, Math.min(batch, docs - from), dim, 50);
      List<Record> records = new ArrayList<>(vectors.length);
      for (int i = 0; i < vectors.length; i++) {
        int n = from + i;
        records.add(new Record("doc-" + n, vectors[i], "passage " + n, java.util.Map.of("n", n),
            sources == 0 ? null : "upload-2026-12-" + (n % sources)));
      }
      index.upsertAll(records);
      index.commit("batch " + from);
    }
    HarnessSupport.awaitGraphBuild(index);
    new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
    return index;
  }
}
