package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.records;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionReport;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Search latency while a compaction runs against the same searches without one (same run, same
 * index), and what a compaction reclaims after a share of the records were updated: bytes, deleted
 * records, segments, and its write rate.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx6g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.CompactionHarness [docs=100000] [dim=384] [updated=0.3] [seconds=20]
 * </pre>
 */
public final class CompactionHarness {
  public static void main(String[] args) throws Exception {
    int docs = Integer.parseInt(arg(args, "docs", "100000"));
    int dim = Integer.parseInt(arg(args, "dim", "384"));
    double updated = Double.parseDouble(arg(args, "updated", "0.3"));
    int seconds = Integer.parseInt(arg(args, "seconds", "20"));
    Path dir = Files.createTempDirectory("strata-compaction");
    // Background merges off: the updates' deletions stay for the compaction to reclaim, as in an
    // index nobody compacted for weeks. Keeping one snapshot lets the compaction free old files.
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).retention(RetentionPolicy.keepLast(1)).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("index"), IndexSchema.builder(dim, Similarity.COSINE).build(), options)) {
      for (int from = 0; from < docs; from += 1_000) {
        index.upsertAll(records(from, Math.min(1_000, docs - from), dim, from * 31L + 1));
        if ((from / 1_000) % 10 == 9) {
          index.commit("fill " + from);
        }
      }
      index.commit("filled");
      HarnessSupport.awaitGraphBuild(index); // the fill is a bulk load: its graph first, then the updates
      // A random 30% (not a prefix: replacing whole segments' worth of ids would just drop them).
      int toUpdate = (int) (docs * updated);
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < docs; i++) {
        ids.add(i);
      }
      java.util.Collections.shuffle(ids, new java.util.Random(42));
      for (int from = 0; from < toUpdate; from += 1_000) {
        List<Integer> batch = ids.subList(from, Math.min(toUpdate, from + 1_000));
        float[][] vectors = ClusteredVectors.generate(from * 17L + 2, batch.size(), dim, 50);
        List<Record> replacements = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          replacements.add(Record.of("doc-" + batch.get(i), vectors[i]));
        }
        index.upsertAll(replacements);
        index.commit("update " + from);
      }
      HarnessSupport.awaitGraphBuild(index);
      IndexStats before = index.stats();
      System.out.printf(Locale.ROOT, "%d x %d, %.0f%% updated: %d segments, %d deleted, %.1f MB%n",
          docs, dim, updated * 100, before.segments(), before.deletedDocs(), before.bytes() / 1e6);

      float[][] queries = ClusteredVectors.generate(-3, 1_000, dim, 50);
      latencies(index, queries, 3, null); // warm-up
      double[] quiet = latencies(index, queries, seconds, null);
      CompactionPolicy policy = CompactionPolicy.builder().expungeDeletes(true).maxSegments(1).prune(true).build();
      CompactionReport[] report = new CompactionReport[1];
      double[] during = latencies(index, queries, Integer.MAX_VALUE,
          CompletableFuture.runAsync(() -> report[0] = new Compactor(index).compact(policy)));
      CompactionReport r = report[0];
      System.out.println("| phase | queries | p50 µs | p99 µs |");
      System.out.println("|---|---|---|---|");
      print("no compaction", quiet);
      print("during compaction", during);
      System.out.printf(Locale.ROOT, "p99 during / without: %.2f%n", percentile(during, 0.99) / percentile(quiet, 0.99));
      System.out.printf(Locale.ROOT, "compaction: %.1f s, %.1f MB written (%.1f MB/s), %.1f MB read through the directory;"
              + " segments %d -> %d, deleted %d -> %d, on disk %.1f -> %.1f MB, %d snapshots pruned%n",
          r.duration().toMillis() / 1e3, r.io().bytesWritten() / 1e6, r.mbWrittenPerSecond(), r.io().bytesRead() / 1e6,
          r.before().segments(), r.after().segments(), r.before().deletedDocs(), r.after().deletedDocs(), r.before().bytes() / 1e6,
          r.after().bytes() / 1e6, r.snapshotsPruned());
      double[] after = latencies(index, queries, seconds, null);
      print("after compaction", after);
    } finally {
      deleteTree(dir);
    }
  }


  /** Searches for {@code seconds}, or until {@code until} completes when it is given. */
  private static double[] latencies(VectorIndex index, float[][] queries, int seconds, CompletableFuture<?> until) {
    long end = System.nanoTime() + Math.min(seconds, 3600) * 1_000_000_000L;
    double[] out = new double[1 << 20];
    int n = 0;
    while (n < out.length && (until == null ? System.nanoTime() < end : !until.isDone())) {
      long t0 = System.nanoTime();
      index.search(SearchRequest.builder(queries[n % queries.length]).k(10).build());
      out[n++] = (System.nanoTime() - t0) / 1e3;
    }
    if (until != null) {
      until.join();
    }
    double[] result = Arrays.copyOf(out, n);
    Arrays.sort(result);
    return result;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  private static void print(String phase, double[] sorted) {
    System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f |%n", phase, sorted.length, percentile(sorted, 0.5), percentile(sorted, 0.99));
  }
}
