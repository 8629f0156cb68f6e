package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.intArg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;
import static dev.strata.bench.HarnessSupport.records;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What one write of one record costs under each {@link CommitPolicy}: the call the LangChain4j and
 * Spring AI stores make for an {@code add} of one document (embedding excluded). Per policy: p50
 * and p99 of one call with one writing thread, and documents per second with 1 and 4 threads
 * (group commit shows as 4 threads writing faster than 1 under every-call). Policies run in a
 * rotated order each round; the table gives medians over rounds and their range.
 *
 * <p>{@code mode=commits n=N} instead makes N commits of one record each with a plain {@link
 * VectorIndex} and nothing else, for counting a commit's fsyncs under {@code strace -f -c -e
 * trace=fsync,fdatasync} against {@code n=0}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.CommitPolicyHarness [dim=384] [adds=200] [rounds=3] [dir=jmh-benchmarks/target/commit-bench]
 * </pre>
 */
public final class CommitPolicyHarness {
  private static final List<CommitPolicy> POLICIES = List.of(CommitPolicy.everyCall(),
      CommitPolicy.every(java.time.Duration.ofSeconds(1)), CommitPolicy.everyRecords(100), CommitPolicy.explicit());

  private CommitPolicyHarness() {}

  public static void main(String[] args) throws Exception {
    int dim = intArg(args, "dim", 384);
    Path dir = Path.of(arg(args, "dir", "jmh-benchmarks/target/commit-bench"));
    Files.createDirectories(dir);
    if (arg(args, "mode", "policies").equals("commits")) {
      commits(dir.resolve("commits"), dim, intArg(args, "n", 50));
      return;
    }
    int adds = intArg(args, "adds", 200);
    int rounds = intArg(args, "rounds", 3);
    List<Record> data = records(0, adds, dim, 7);
    double[][] p50 = new double[POLICIES.size()][rounds];
    double[][] p99 = new double[POLICIES.size()][rounds];
    double[][] rate1 = new double[POLICIES.size()][rounds];
    double[][] rate4 = new double[POLICIES.size()][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < POLICIES.size(); k++) {
        int p = (k + round) % POLICIES.size();
        CommitPolicy policy = POLICIES.get(p);
        double[] one = oneThread(dir.resolve("p" + p), dim, policy, data);
        p50[p][round] = one[0];
        p99[p][round] = one[1];
        rate1[p][round] = one[2];
        rate4[p][round] = threads(dir.resolve("t" + p), dim, policy, data, 4);
      }
    }
    System.out.printf(Locale.ROOT, "%d cores, %d-d vectors, %d single-record writes per run, %d rounds (median [min-max])%n",
        Runtime.getRuntime().availableProcessors(), dim, adds, rounds);
    System.out.println("| policy | one call p50 (ms) | one call p99 (ms) | docs/s, 1 thread | docs/s, 4 threads |");
    System.out.println("|---|---|---|---|---|");
    for (int p = 0; p < POLICIES.size(); p++) {
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", POLICIES.get(p), range(p50[p], 2), range(p99[p], 2),
          range(rate1[p], 0), range(rate4[p], 0));
    }
    deleteTree(dir);
  }

  /** p50 and p99 of one call in ms, and documents per second including the final flush. */
  private static double[] oneThread(Path path, int dim, CommitPolicy policy, List<Record> data) throws IOException {
    clear(path);
    double[] millis = new double[data.size()];
    long start = System.nanoTime();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build());
        LiveIndex live = LiveIndex.of(index, policy)) {
      for (int i = 0; i < data.size(); i++) {
        long t = System.nanoTime();
        live.upsertAll(List.of(data.get(i)), VectorSource.UNSTATED);
        millis[i] = (System.nanoTime() - t) / 1e6;
      }
      live.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(millis);
    return new double[] {millis[millis.length / 2], millis[(int) Math.ceil(millis.length * 0.99) - 1], data.size() / seconds};
  }

  private static double threads(Path path, int dim, CommitPolicy policy, List<Record> data, int threads) throws Exception {
    clear(path);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build());
        LiveIndex live = LiveIndex.of(index, policy)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          for (int i = first; i < data.size(); i += threads) {
            live.upsertAll(List.of(data.get(i)), VectorSource.UNSTATED);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      live.flush();
    } finally {
      pool.shutdown();
    }
    return data.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static void commits(Path path, int dim, int n) throws IOException {
    clear(path);
    List<Record> data = records(0, Math.max(1, n), dim, 11);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build())) {
      for (int i = 0; i < n; i++) {
        index.upsert(data.get(i));
        index.commit("commit " + i);
      }
    }
    System.out.println(n + " commits of one record");
  }

  private static void clear(Path path) throws IOException {
    if (Files.exists(path)) {
      deleteTree(path);
    }
  }

  private static String range(double[] values, int decimals) {
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + " [" + f + "-" + f + "]", median(values), min(values), max(values));
  }
}
