package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.intArg;
import static dev.strata.bench.HarnessSupport.records;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.LiveMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reproduction of a live migration, measured: {@code n} records in blue behind an
 * alias, a writer adding batches of {@code batch} new records through the alias every {@code
 * pauseMs} (every-call policy), and {@code rebuild --alias}'s migration to an int8 copy meanwhile.
 * Prints the bulk time, catch-up rounds, records caught up, fence duration, the batches the
 * writer had acknowledged, and how many acknowledged records the alias's target lacks (goal: 0).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.LiveMigrationHarness [n=100000] [dim=384] [batch=300] [pauseMs=500]
 * </pre>
 */
public final class LiveMigrationHarness {
  private LiveMigrationHarness() {}

  public static void main(String[] args) throws Exception {
    int n = intArg(args, "n", 100_000);
    int dim = intArg(args, "dim", 384);
    int batch = intArg(args, "batch", 300);
    int pauseMs = intArg(args, "pauseMs", 500);
    Path dir = Path.of(arg(args, "dir", "jmh-benchmarks/target/migration-bench"));
    if (Files.exists(dir)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (VectorIndex index = VectorIndex.create(blue, IndexSchema.builder(dim, Similarity.COSINE).build(),
        IndexOptions.builder().ramBufferMb(256).build())) {
      for (int from = 0; from < n; from += 10_000) { // generated batch by batch: the heap is the migration's
        index.upsertAll(records(from, Math.min(10_000, n - from), dim, 9 + from));
      }
      index.commit("load " + n);
      HarnessSupport.awaitGraphBuild(index); // before the close, or the migration would build it
    }
    System.out.printf(Locale.ROOT, "loaded %d records at %.0f s of uptime; migrating%n", n,
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    IndexAlias.set(alias, blue, null, false);
    List<String> acknowledged = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (LiveIndex live = LiveIndex.openAlias(alias, IndexOptions.DEFAULTS, CommitPolicy.everyCall())) {
      Thread writer = Thread.ofPlatform().start(() -> {
        try {
          for (int b = 0; !stop.get(); b++) {
            List<Record> records = records(n + b * batch, batch, dim, 100 + b);
            live.upsertAll(records, VectorSource.UNSTATED);
            synchronized (acknowledged) {
              records.forEach(r -> acknowledged.add(r.id()));
            }
            Thread.sleep(pauseMs);
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      LiveMigration.Report report = LiveMigration.migrate(alias, dir.resolve("green"), null,
          b -> b.encoding(VectorEncoding.INT8), LiveMigration.Options.DEFAULTS, IndexRebuilder.Progress.NONE, () -> {});
      Thread.sleep(2 * pauseMs);
      stop.set(true);
      writer.join();
      if (failure.get() != null) {
        throw new IllegalStateException("the writer failed", failure.get());
      }
      long missing;
      synchronized (acknowledged) {
        missing = live.read(index -> acknowledged.stream().filter(id -> !index.contains(id)).count());
      }
      System.out.printf(Locale.ROOT, "heap limit %d MiB; %d records, writer adding %d every %d ms: bulk %d records in %.1f s of %.1f s total,"
              + " %d catch-up rounds, %d records caught up, fence %.3f s; writer acknowledged %d records (%d batches),"
              + " moved %d time(s); acknowledged records missing from the alias's target: %d%n",
          Runtime.getRuntime().maxMemory() >> 20, n, batch, pauseMs, report.bulkRecords(), report.bulk().toMillis() / 1000.0, report.elapsed().toMillis() / 1000.0,
          report.catchUpRounds(), report.recordsCaughtUp(), report.fenced().toNanos() / 1e9, acknowledged.size(),
          acknowledged.size() / batch, live.moves(), missing);
    }
    deleteTree(dir);
  }
}
