package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.intArg;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.records;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionScheduler;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A service that never stops writing.
 *
 * <p>{@code mode=day}: the commits of a day at one per second (86,400 by default), made back to
 * back, each upserting one record (a new one or a replacement), with the compaction scheduler
 * running: prints the snapshots kept, segments and files on disk as it goes, and their maxima.
 * Retention and merges must keep all three bounded.
 *
 * <p>{@code mode=service}: {@code n} records, two threads searching as fast as they can, and in
 * alternate phases of {@code phase} seconds a writer upserting {@code rate} records per second
 * (an interval commit policy of one second, the compaction scheduler on) or no writer: search
 * p50/p99 with the writer against without, phase by phase, and their ratio. With {@code qps=Q}
 * the two threads search at Q a second together instead (open loop: latency counted from when a
 * request was due), the shape of a service that is not saturated.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.LiveServiceHarness mode=day [commits=86400] | mode=service [n=100000] [dim=384]
 *   [phase=60] [phases=10] [rate=100] [qps=0]
 * </pre>
 */
public final class LiveServiceHarness {
  private LiveServiceHarness() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(arg(args, "dir", "jmh-benchmarks/target/live-bench"));
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    if (arg(args, "mode", "service").equals("day")) {
      day(dir.resolve("day"), intArg(args, "commits", 86_400), intArg(args, "dim", 384));
    } else {
      service(dir.resolve("service"), intArg(args, "n", 100_000), intArg(args, "dim", 384), intArg(args, "phase", 60),
          intArg(args, "phases", 10), intArg(args, "rate", 100), intArg(args, "qps", 0));
    }
    deleteTree(dir);
  }

  private static void day(Path path, int commits, int dim) throws Exception {
    List<Record> pool = records(0, 20_000, dim, 3);
    Random random = new Random(17);
    int maxSnapshots = 0;
    int maxSegments = 0;
    long maxFiles = 0;
    long start = System.nanoTime();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build());
        CompactionScheduler compaction = new CompactionScheduler(new Compactor(index), CompactionPolicy.DEFAULT,
            Clock.systemUTC(), Duration.ofSeconds(1)).start()) {
      for (int i = 1; i <= commits; i++) {
        Record r = pool.get(random.nextInt(pool.size()));
        index.upsert(Record.of(r.id(), r.vector()));
        index.commit("second " + i);
        if (i % 1000 == 0 || i == commits) {
          int snapshots = index.history().list().size();
          int segments = index.stats().segments();
          long files = files(path);
          maxSnapshots = Math.max(maxSnapshots, snapshots);
          maxSegments = Math.max(maxSegments, segments);
          maxFiles = Math.max(maxFiles, files);
          if (i % 10_000 == 0 || i == commits) {
            System.out.printf(Locale.ROOT, "after %d commits (%.0f s): %d snapshots, %d segments, %d files, %d live records%n",
                i, (System.nanoTime() - start) / 1e9, snapshots, segments, files, index.stats().docs());
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d one-record commits in %.0f s: at most %d snapshots, %d segments, %d files%n",
        commits, (System.nanoTime() - start) / 1e9, maxSnapshots, maxSegments, maxFiles);
  }

  private static void service(Path path, int n, int dim, int phaseSeconds, int phases, int rate, int qps)
      throws Exception {
    List<Record> data = records(0, n, dim, 5);
    List<Record> queries = records(n, 200, dim, 5);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build(),
        IndexOptions.builder().ramBufferMb(256).build())) {
      for (int from = 0; from < n; from += 10_000) {
        index.upsertAll(data.subList(from, Math.min(n, from + 10_000)));
      }
      index.commit("load");
      HarnessSupport.awaitGraphBuild(index);
      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      double[][] p50 = new double[2][(phases + 1) / 2];
      double[][] p99 = new double[2][(phases + 1) / 2];
      int[] done = new int[2];
      try (LiveIndex live = LiveIndex.of(index, CommitPolicy.every(Duration.ofSeconds(1)));
          CompactionScheduler compaction = new CompactionScheduler(new Compactor(index), CompactionPolicy.DEFAULT,
              Clock.systemUTC(), Duration.ofSeconds(5)).start()) {
        for (int phase = 0; phase < phases; phase++) {
          boolean writing = phase % 2 == 1;
          double[] latencies = phase(index, live, queries, data, writing, phaseSeconds, rate, qps);
          int kind = writing ? 1 : 0;
          p50[kind][done[kind]] = latencies[0];
          p99[kind][done[kind]] = latencies[1];
          done[kind]++;
          System.out.printf(Locale.ROOT, "phase %d %s: search p50 %.3f ms, p99 %.3f ms, %d searches; %d snapshots, %d segments%n",
              phase, writing ? "with writer" : "idle", latencies[0], latencies[1], (long) latencies[2],
              index.history().list().size(), index.stats().segments());
        }
      }
      double idle50 = median(Arrays.copyOf(p50[0], done[0]));
      double idle99 = median(Arrays.copyOf(p99[0], done[0]));
      double busy50 = median(Arrays.copyOf(p50[1], done[1]));
      double busy99 = median(Arrays.copyOf(p99[1], done[1]));
      System.out.printf(Locale.ROOT, "median over phases: idle p50 %.3f / p99 %.3f ms; with writer p50 %.3f / p99 %.3f ms;"
          + " p99 ratio %.2f; at the end %d snapshots, %d segments%n", idle50, idle99, busy50, busy99, busy99 / idle99,
          index.history().list().size(), index.stats().segments());
    }
  }

  /** p50, p99 (ms) and count of the searches two threads made during one phase. */
  private static double[] phase(VectorIndex index, LiveIndex live, List<Record> queries, List<Record> data,
      boolean writing, int seconds, int rate, int qps) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<List<Double>> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      List<Double> latencies = new ArrayList<>();
      perThread.add(latencies);
      int offset = t;
      threads.add(Thread.ofPlatform().start(() -> {
        long interval = qps <= 0 ? 0 : 2_000_000_000L / qps; // each thread half of the rate
        long intended = System.nanoTime();
        for (int q = offset; !stop.get(); q += 2) {
          if (interval > 0) {
            intended += interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
          }
          // Open loop: latency from when the request was due, so a stall counts for every request it delayed.
          long start = interval > 0 ? intended : System.nanoTime();
          index.search(SearchRequest.builder(queries.get(q % queries.size()).vector()).k(10).ef(64).idsOnly(true).build());
          latencies.add((System.nanoTime() - start) / 1e6);
        }
      }));
    }
    if (writing) {
      threads.add(Thread.ofPlatform().start(() -> {
        Random random = new Random(seconds);
        long next = System.nanoTime();
        while (!stop.get()) {
          Record r = data.get(random.nextInt(data.size()));
          live.upsertAll(List.of(r), VectorSource.UNSTATED);
          next += 1_000_000_000L / rate;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }));
    }
    Thread.sleep(Duration.ofSeconds(seconds));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double[] all = perThread.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {all[all.length / 2], all[(int) Math.ceil(all.length * 0.99) - 1], all.length};
  }

  private static long files(Path path) throws IOException {
    try (Stream<Path> files = Files.list(path)) {
      return files.count();
    }
  }
}
