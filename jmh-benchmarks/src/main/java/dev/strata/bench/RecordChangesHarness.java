package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.intArg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotView;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a live migration's catch-up and a snapshot diff pay to compare two snapshots of {@code n}
 * records after a batch that rewrote 1% and deleted 0.5%: the two id-to-hash maps (the way before
 * 0.3.0) against {@link SnapshotView#changesSince}'s side-by-side walk in id order, interleaved
 * round by round in one process; then the same after 1% more records were appended (the walk skips
 * the segments both snapshots share). Prints time, bytes allocated by the comparing thread, and the
 * heap the two maps hold while compared. Vectors are 2-dimensional and graphs deferred: only ids and
 * hashes are read. {@code mode=walk} or {@code mode=maps} runs one side alone (to try a heap limit).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.RecordChangesHarness [n=1000000] [rounds=5] [mode=both]
 * </pre>
 */
public final class RecordChangesHarness {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private RecordChangesHarness() {}

  public static void main(String[] args) throws Exception {
    int n = intArg(args, "n", 1_000_000);
    int rounds = intArg(args, "rounds", 5);
    String mode = arg(args, "mode", "both");
    Path dir = Files.createTempDirectory("strata-record-changes");
    IndexOptions options = IndexOptions.builder().deferGraphs(true).backgroundMerges(false).ramBufferMb(64).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), options)) {
      long start = System.nanoTime();
      int batch = 50_000;
      for (int from = 0; from < n; from += batch) {
        index.upsertAll(records(from, Math.min(batch, n - from), 0));
        if ((from / batch) % 20 == 19) {
          index.commit("load up to " + (from + batch));
        }
      }
      index.commit("load " + n);
      try (SnapshotView before = index.openLatestSnapshot()) {
        for (int i = 0; i < n / 100; i++) { // the bad batch: 1% rewritten, 0.5% deleted
          index.upsert(record(i * 100 + 7, 1));
        }
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < n / 200; i++) {
          deleted.add(id(i * 200 + 11));
        }
        index.deleteAll(deleted);
        index.commit("bad batch");
        System.out.printf(Locale.ROOT, "%,d records in %d segments, loaded in %.0f s; heap limit %d MiB%n", n,
            index.stats().segments(), (System.nanoTime() - start) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
        try (SnapshotView after = index.openLatestSnapshot()) {
          System.out.println("a batch that rewrote 1% and deleted 0.5% (every segment changed):");
          compare(before, after, rounds, mode);
          index.upsertAll(records(n, n / 100, 0)); // a catch-up round's usual diet: new records only
          index.commit("appended 1%");
          try (SnapshotView appended = index.openLatestSnapshot()) {
            System.out.println("then 1% appended (the loaded segments unchanged):");
            compare(after, appended, rounds, mode);
          }
        }
      }
    } finally {
      HarnessSupport.deleteTree(dir);
    }
  }

  private static void compare(SnapshotView before, SnapshotView after, int rounds, String mode) {
    double[][] ms = new double[2][rounds];
    double[][] allocatedMb = new double[2][rounds];
    double[] mapsHeldMb = new double[rounds];
    long expected = -1;
    for (int r = 0; r < rounds; r++) {
      for (int side = 0; side < 2; side++) {
        int which = (r % 2 == 0) ? side : 1 - side; // alternate which goes first
        if (!mode.equals("both") && !mode.equals(which == 0 ? "maps" : "walk")) {
          continue;
        }
        System.gc();
        long heapBefore = usedHeap();
        long allocated = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long found;
        if (which == 0) {
          Map<String, Long> old = before.recordHashes();
          Map<String, Long> now = after.recordHashes();
          found = byMaps(old, now);
          ms[0][r] = (System.nanoTime() - t0) / 1e6;
          allocatedMb[0][r] = (THREADS.getCurrentThreadAllocatedBytes() - allocated) / 1048576.0;
          System.gc();
          mapsHeldMb[r] = (usedHeap() - heapBefore) / 1048576.0;
          if (old.size() + now.size() < 0) {
            throw new AssertionError(); // keeps both maps reachable until the heap was read
          }
        } else {
          RecordChanges changes = after.changesSince(before);
          found = changes.count();
          ms[1][r] = (System.nanoTime() - t0) / 1e6;
          allocatedMb[1][r] = (THREADS.getCurrentThreadAllocatedBytes() - allocated) / 1048576.0;
        }
        if (expected >= 0 && found != expected) {
          throw new IllegalStateException("the two ways disagree: " + found + " changes against " + expected);
        }
        expected = found;
      }
    }
    System.out.printf(Locale.ROOT, "changes found: %,d%n", expected);
    System.out.println("| way | ms, median (min-max) | allocated MiB, median | heap held by the two maps, MiB |");
    System.out.println("|---|---|---|---|");
    if (!mode.equals("walk")) {
      System.out.printf(Locale.ROOT, "| two id-to-hash maps | %.0f (%.0f-%.0f) | %.0f | %.0f |%n", median(ms[0]), min(ms[0]),
          max(ms[0]), median(allocatedMb[0]), median(mapsHeldMb));
    }
    if (!mode.equals("maps")) {
      System.out.printf(Locale.ROOT, "| side-by-side walk in id order | %.0f (%.0f-%.0f) | %.0f | - |%n", median(ms[1]),
          min(ms[1]), max(ms[1]), median(allocatedMb[1]));
    }
    if (mode.equals("both")) {
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = ms[1][r] / ms[0][r];
      }
      System.out.printf(Locale.ROOT, "walk / maps time, paired: %.2fx (%.2f-%.2f)%n", median(ratio), min(ratio), max(ratio));
    }
  }

  private static long byMaps(Map<String, Long> old, Map<String, Long> now) {
    long changes = 0;
    for (Map.Entry<String, Long> e : now.entrySet()) {
      if (!e.getValue().equals(old.get(e.getKey()))) {
        changes++;
      }
    }
    for (String id : old.keySet()) {
      if (!now.containsKey(id)) {
        changes++;
      }
    }
    return changes;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static List<Record> records(int from, int count, int version) {
    List<Record> records = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      records.add(record(i, version));
    }
    return records;
  }

  private static Record record(int i, int version) {
    return Record.of(id(i), new float[] {i % 1000, version});
  }

  private static String id(int i) {
    return "doc-" + Integer.toHexString(i * 0x9E3779B1); // ids in no particular order against doc ids
  }
}
