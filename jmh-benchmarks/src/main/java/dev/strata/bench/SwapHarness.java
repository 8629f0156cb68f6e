package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.records;

import dev.strata.core.IndexSchema;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Search latency through a {@link SearcherHandle} with and without swaps every 100 ms (same data,
 * same run), failed queries counted; and a blue/green rebuild against a plain ingest of the same
 * records.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx6g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.SwapHarness [docs=100000] [dim=384] [seconds=30] [swapMs=100]
 * </pre>
 */
public final class SwapHarness {
  public static void main(String[] args) throws Exception {
    int docs = Integer.parseInt(arg(args, "docs", "100000"));
    int dim = Integer.parseInt(arg(args, "dim", "384"));
    int seconds = Integer.parseInt(arg(args, "seconds", "30"));
    int swapMs = Integer.parseInt(arg(args, "swapMs", "100"));
    Path dir = Files.createTempDirectory("strata-swaps");
    try {
      run(dir, docs, dim, seconds, swapMs);
    } finally {
      deleteTree(dir);
    }
  }

  private static void run(Path dir, int docs, int dim, int seconds, int swapMs) throws Exception {
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    String base;
    long i0 = System.nanoTime();
    try (VectorIndex index = VectorIndex.create(blue, IndexSchema.builder(dim, Similarity.COSINE).build())) {
      int batch = 1_000;
      for (int from = 0; from < docs; from += batch) {
        index.upsertAll(records(from, Math.min(batch, docs - from), dim, from * 31L + Math.min(batch, docs - from)));
      }
      index.commit("base");
      HarnessSupport.awaitGraphBuild(index); // part of the ingest: the load is searchable through its graph after it
      base = Long.toString(index.latestSnapshot().id());
      double ingest = (System.nanoTime() - i0) / 1e9;
      long r0 = System.nanoTime();
      IndexRebuilder.copy(blue, green, UnaryOperator.identity(), IndexRebuilder.Progress.NONE);
      double rebuild = (System.nanoTime() - r0) / 1e9;
      System.out.printf(Locale.ROOT, "plain ingest of %d x %d: %.1f s (%.0f records/s); rebuild (copy + verify): %.1f s (%.0f records/s); ratio %.2f%n",
          docs, dim, ingest, docs / ingest, rebuild, docs / rebuild, rebuild / ingest);
      index.upsertAll(records(0, docs / 20, dim, docs / 20)); // a second snapshot sharing most segments
      index.commit("5% replaced");
    }

    float[][] queries = ClusteredVectors.generate(-7, 1_000, dim, 50);
    try (SearcherHandle handle = SearcherHandle.open(blue)) {
      measure(handle, queries, 3, null, 0); // warm-up
      Phase quiet = measure(handle, queries, seconds, null, 0);
      List<Runnable> swaps = List.of(
          () -> handle.swapTo(blue, base), () -> handle.swapTo(green, null), () -> handle.swapTo(blue, null));
      Phase swapping = measure(handle, queries, seconds, swaps, swapMs);
      System.out.println("| phase | queries | failed | swaps | p50 µs | p99 µs |");
      System.out.println("|---|---|---|---|---|---|");
      quiet.print("no swaps");
      swapping.print("swap every " + swapMs + " ms");
      System.out.printf(Locale.ROOT, "p99 with swaps / without: %.2f; readers open at the end: %d%n",
          swapping.p99() / quiet.p99(), handle.openReaders());
    }
  }


  private record Phase(long[] latenciesNanos, long failed, long swaps) {
    double percentile(double p) {
      return latenciesNanos[(int) Math.min(latenciesNanos.length - 1, Math.floor(p * latenciesNanos.length))] / 1e3;
    }

    double p99() {
      return percentile(0.99);
    }

    void print(String name) {
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.0f |%n",
          name, latenciesNanos.length, failed, swaps, percentile(0.50), p99());
    }
  }

  /** One query thread for {@code seconds}; with {@code swaps}, a second thread cycles through them. */
  private static Phase measure(SearcherHandle handle, float[][] queries, int seconds, List<Runnable> swaps, int swapMs)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong swapCount = new AtomicLong();
    Thread swapper = new Thread(() -> {
      int next = 0;
      while (running.get()) {
        try {
          swaps.get(next++ % swaps.size()).run();
          swapCount.incrementAndGet();
        } catch (RuntimeException e) {
          System.err.println("swap failed: " + e);
        }
        try {
          Thread.sleep(swapMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "swapper");
    if (swaps != null) {
      swapper.start();
    }
    long[] latencies = new long[1 << 20];
    int n = 0;
    long failed = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end && n < latencies.length) {
      long t0 = System.nanoTime();
      try (SnapshotView view = handle.acquire()) {
        if (view.search(SearchRequest.builder(queries[n % queries.length]).k(10).build()).hits().size() != 10) {
          failed++;
        }
      } catch (RuntimeException e) {
        failed++;
      }
      latencies[n++] = System.nanoTime() - t0;
    }
    running.set(false);
    if (swaps != null) {
      swapper.join();
    }
    long[] done = Arrays.copyOf(latencies, n);
    Arrays.sort(done);
    return new Phase(done, failed, swapCount.get());
  }
}
