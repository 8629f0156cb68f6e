package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.snapshot.ArchiveReport;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Rollback and time-travel open times at several index sizes (rollback must not grow with the
 * index), export/import throughput against a plain copy of the same files in the same run, and
 * the diff and revert of a "bad batch" that rewrote 1% of the records and deleted 0.5%, and a
 * branch of the base snapshot.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx8g -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.SnapshotHarness [docs=10000,1000000] [dim=384] [rounds=5] [compact=false]
 * </pre>
 */
public final class SnapshotHarness {
  public static void main(String[] args) throws IOException {
    int dim = Integer.parseInt(arg(args, "dim", "384"));
    int rounds = Integer.parseInt(arg(args, "rounds", "5"));
    int[] sizes = Arrays.stream(arg(args, "docs", "10000,1000000").split(",")).mapToInt(Integer::parseInt).toArray();
    boolean compact = Boolean.parseBoolean(arg(args, "compact", "false"));
    System.out.println("| docs | segments | index MiB | rollback ms, median (min-max) | time-travel open ms | ratio rollback/open | export MB/s | import MB/s | plain copy MB/s | archive / index | diff ms, median (min-max) | revert ms | branch ms (files linked) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int docs : sizes) {
      Path dir = Files.createTempDirectory("strata-snapshots");
      try {
        run(dir, docs, dim, rounds, compact);
      } finally {
        HarnessSupport.deleteTree(dir);
      }
    }
  }

  private static void run(Path dir, int docs, int dim, int rounds, boolean compact) throws IOException {
    try (VectorIndex index = VectorIndex.create(dir.resolve("index"), IndexSchema.builder(dim, Similarity.COSINE).build())) {
      int batch = 5_000;
      for (int from = 0; from < docs; from += batch) {
        float[][] vectors = ClusteredVectors.generate(from, Math.min(batch, docs - from), dim, 50);
        List<Record> records = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
          records.add(Record.of("doc-" + (from + i), vectors[i]));
        }
        index.upsertAll(records);
      }
      long base = index.commit("base").id();
      HarnessSupport.awaitGraphBuild(index);
      base = index.latestSnapshot().id(); // the bulk load's graph build committed one more
      if (compact) { // as a compacted production index would be: one segment, one graph
        base = new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build()).snapshot().id();
      }
      index.history().tag(Long.toString(base), "base"); // kept however many rounds of rollbacks follow
      int segments = index.stats().segments();
      index.upsert(Record.of("extra", ClusteredVectors.generate(-1, 1, dim, 1)[0]));
      index.commit("one more");
      double indexMb = index.stats().bytes() / 1e6;

      double[] rollback = new double[rounds];
      double[] open = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        try (SnapshotView view = index.history().open(Long.toString(base))) {
          view.liveCount();
        }
        long t1 = System.nanoTime();
        index.history().rollbackTo(Long.toString(base));
        long t2 = System.nanoTime();
        open[r] = (t1 - t0) / 1e6;
        rollback[r] = (t2 - t1) / 1e6;
      }

      Path archive = dir.resolve("snap.tar.zst");
      long e0 = System.nanoTime();
      ArchiveReport exported = index.history().export(Long.toString(base), null, archive);
      long e1 = System.nanoTime();
      SnapshotArchives.importArchive(archive, dir.resolve("imported"), false);
      long e2 = System.nanoTime();
      Path copy = Files.createDirectory(dir.resolve("plain-copy"));
      try (var files = Files.list(dir.resolve("imported"))) {
        for (Path f : files.toList()) {
          Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      long e3 = System.nanoTime();
      double mb = exported.bytes() / 1e6;

      String beforeBad = Long.toString(index.latestSnapshot().id());
      float[][] rewritten = ClusteredVectors.generate(docs, Math.max(1, docs / 100), dim, 50);
      List<Record> bad = new ArrayList<>(rewritten.length);
      for (int i = 0; i < rewritten.length; i++) {
        bad.add(Record.of("doc-" + (i * 100 % docs), rewritten[i]));
      }
      index.upsertAll(bad);
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < docs / 200; i++) {
        gone.add("doc-" + (i * 200 + 1));
      }
      index.deleteAll(gone);
      String badId = Long.toString(index.commit("a bad batch").id());
      index.upsert(Record.of("after", ClusteredVectors.generate(-2, 1, dim, 1)[0]));
      index.commit("a later write");
      double[] diff = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long d0 = System.nanoTime();
        index.history().diff(beforeBad, badId);
        diff[r] = (System.nanoTime() - d0) / 1e6;
      }
      long v0 = System.nanoTime();
      index.history().revert(badId, false, true);
      double revertMs = (System.nanoTime() - v0) / 1e6;
      dev.strata.core.snapshot.SnapshotBranch branch = index.history().branch(Long.toString(base), dir.resolve("branch"));
      System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f (%.0f-%.0f) | %.0f | %d (%d of %d) |%n",
          docs, segments, indexMb, median(rollback), min(rollback), max(rollback), median(open), min(open), max(open),
          median(rollback) / median(open), mb / ((e1 - e0) / 1e9), mb / ((e2 - e1) / 1e9), mb / ((e3 - e2) / 1e9),
          exported.archiveBytes() / (double) exported.bytes(), median(diff), min(diff), max(diff), revertMs, branch.millis(),
          branch.linked(), branch.files());
    }
  }
}
