package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.deleteTree;
import static dev.strata.bench.HarnessSupport.records;
import static dev.strata.bench.HarnessSupport.median;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Upsert cost as the index grows: one index is filled to each size in turn, and at each size
 * batches of 1,000 records replacing existing ids are upserted and committed, one commit per
 * batch (what a service that writes continuously does). A flat rate is the goal; one that falls
 * with the size is the bug Strata exists to prevent.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx8g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.UpsertScalingHarness [sizes=10000,100000,1000000] [dim=384] [batches=30]
 * </pre>
 */
public final class UpsertScalingHarness {
  private static final int BATCH = 1_000;

  public static void main(String[] args) throws IOException {
    int dim = Integer.parseInt(arg(args, "dim", "384"));
    int batches = Integer.parseInt(arg(args, "batches", "30"));
    int[] sizes = Arrays.stream(arg(args, "sizes", "10000,100000,1000000").split(",")).mapToInt(Integer::parseInt).toArray();
    Path dir = Files.createTempDirectory("strata-upserts");
    try (VectorIndex index = VectorIndex.create(dir.resolve("index"), IndexSchema.builder(dim, Similarity.COSINE).build())) {
      System.out.println("| records in index | upserts/s (all batches) | batch ms, median | batch ms, p90 | segments after |");
      System.out.println("|---|---|---|---|---|");
      int filled = 0;
      Random random = new Random(42);
      for (int size : sizes) {
        for (; filled < size; filled += 5_000) {
          index.upsertAll(records(filled, Math.min(5_000, size - filled), dim, filled * 31L));
        }
        index.commit("filled to " + size);
        HarnessSupport.awaitGraphBuild(index); // the fill is a bulk load: the timed batches come after its graph build
        double[] batchMs = new double[batches];
        for (int b = 0; b < batches; b++) {
          List<Record> replacements = new ArrayList<>(BATCH);
          float[][] vectors = ClusteredVectors.generate(random.nextLong(), BATCH, dim, 50);
          for (int i = 0; i < BATCH; i++) {
            replacements.add(Record.of("doc-" + random.nextInt(size), vectors[i]));
          }
          long t0 = System.nanoTime();
          index.upsertAll(replacements);
          index.commit("replace batch " + b);
          batchMs[b] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = batchMs.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "| %,d | %.0f | %.0f | %.0f | %d |%n",
            size, batches * BATCH / Arrays.stream(batchMs).sum() * 1000, median(batchMs),
            sorted[(int) (sorted.length * 0.9)], index.stats().segments());
        System.out.flush();
      }
    } finally {
      deleteTree(dir);
    }
  }

}
