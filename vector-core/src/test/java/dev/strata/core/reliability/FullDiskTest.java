package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest into a real, size-limited filesystem (a 32 MiB tmpfs mounted by the test) until it is
 * full: the failing write must say so, the last commit must stay intact and searchable, and once
 * space is freed ingest must go on. Skipped, with the reason, where mounting is not allowed (not
 * root, no tmpfs): the rest of the suite does not depend on it.
 */
class FullDiskTest {
  private static final int DIM = 64;

  @TempDir Path temp;
  private Path mount;

  @BeforeEach
  void mountSmallFilesystem() throws Exception {
    mount = temp.resolve("small");
    Files.createDirectories(mount);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "cannot mount a 32 MiB tmpfs here (needs root): " + output);
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullDiskFailsTheWriteClearlyKeepsTheLastCommitAndIngestResumesWhenSpaceIsFreed() throws Exception {
    Path path = mount.resolve("idx");
    Path ballast = mount.resolve("ballast");
    fill(ballast, 24L << 20); // leave about 8 MiB for the index
    Random random = new Random(31);
    SnapshotInfo lastGood = null;
    StrataException failure = null;
    int batch = 0;
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      for (; batch < 200 && failure == null; batch++) {
        try {
          index.upsertAll(records(random, batch));
          lastGood = index.commit("batch " + batch);
        } catch (StrataException e) {
          failure = e;
        }
      }
      assertThat(failure).as("the disk never filled in %d batches", batch).isNotNull();
      System.out.printf("disk full after %d batches: %s%n", batch, failure.getMessage());
      assertThat(failure.getMessage()).containsIgnoringCase("no space left on device");
      assertThat(lastGood).isNotNull();
      // Searches still answer from the last commit.
      assertThat(index.search(SearchRequest.builder(records(random, 0).get(0).vector()).k(3).build()).snapshotId())
          .isEqualTo(lastGood.id());
      // Another process sees the last commit, intact.
      try (VectorIndex reader = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
        assertThat(reader.latestSnapshot().id()).isEqualTo(lastGood.id());
        assertThat(reader.stats().docs()).isEqualTo(lastGood.liveCount());
        assertThat(reader.history().verify(Long.toString(lastGood.id())).sound()).isTrue();
      }

      // Space freed, the same index object goes on writing (its writer reopens at the last commit;
      // the batch whose commit failed was never acknowledged and is not there).
      Files.delete(ballast);
      index.upsertAll(records(new Random(99), 1_000));
      SnapshotInfo resumed = index.commit("after freeing space");
      assertThat(resumed.liveCount()).isEqualTo(lastGood.liveCount() + 500);
    }
    try (VectorIndex reopened = VectorIndex.open(path)) {
      assertThat(reopened.latestSnapshot().message()).isEqualTo("after freeing space");
      assertThat(reopened.stats().counters().commits()).as("the failed commit is not counted")
          .isEqualTo(reopened.latestSnapshot().id());
      assertThat(reopened.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
    }
  }

  @Test
  void aCompactionThatFillsTheDiskSaysSoLeavesNoHalfWrittenMergeAndSucceedsOnceSpaceIsFreed() throws Exception {
    Path path = mount.resolve("idx");
    Random random = new Random(7);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      for (int batch = 0; batch < 8; batch++) {
        index.upsertAll(records(random, batch));
        index.commit("batch " + batch);
      }
    }
    long indexBytes = sizeOf(path);
    Path ballast = mount.resolve("ballast");
    long free = Files.getFileStore(mount).getUsableSpace();
    fill(ballast, free - indexBytes / 3 - (1 << 20)); // a merge rewrites the index: a third will not fit
    StrataException failure;
    try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().backgroundMerges(false).build())) {
      dev.strata.core.compaction.Compactor compactor = new dev.strata.core.compaction.Compactor(index);
      dev.strata.core.compaction.CompactionPolicy mergeAll =
          dev.strata.core.compaction.CompactionPolicy.builder().maxSegments(1).build();
      java.io.PrintStream stderr = System.err;
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        failure = org.junit.jupiter.api.Assertions.assertThrows(StrataException.class, () -> compactor.compact(mergeAll));
      } finally {
        System.setErr(stderr);
      }
      System.out.println("compaction on a full disk: " + failure.getMessage());
      assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).as("the merge thread's failure, in one line")
          .doesNotContain("\tat org.apache.lucene");
      assertThat(failure.getMessage()).containsIgnoringCase("no space left on device").contains("last snapshot is intact")
          .doesNotContain("\n\tat ");
      assertThat(leftovers(path)).as("the half-written merge is deleted at once").isEmpty();
      assertThat(index.stats().segments()).as("searches still answer from the last snapshot").isEqualTo(8);

      Files.delete(ballast);
      assertThat(compactor.compact(mergeAll).after().segments()).isEqualTo(1);
    }
    try (VectorIndex reopened = VectorIndex.open(path)) {
      assertThat(reopened.stats().docs()).isEqualTo(8 * 500);
      assertThat(reopened.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
    }
  }

  @Test
  void aBackgroundGraphBuildThatWouldFillTheDiskIsNotStartedAndRunsOnceSpaceIsFreed() throws Exception {
    Path path = mount.resolve("idx");
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(5_000).build();
    Random random = new Random(13);
    List<Record> load = new ArrayList<>();
    for (int batch = 0; batch < 30; batch++) {
      load.addAll(records(random, batch));
    }
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), options)) {
      index.upsertAll(load);
      index.commit("bulk load"); // flat; the close right after it cuts its graph build short
    }
    try (VectorIndex reader = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
      Assumptions.assumeTrue(reader.stats().graphlessSegments() > 0, "the graph build finished before the close");
    }
    Path ballast = mount.resolve("ballast");
    fill(ballast, Files.getFileStore(mount).getUsableSpace() - sizeOf(path) / 3 - (1 << 20)); // its merge will not fit

    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.strata.core.internal.engine.GraphBuilds");
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try (VectorIndex index = VectorIndex.open(path, options)) { // starts the build, which sees it would fill the disk
      assertThat(index.awaitGraphBuild(java.time.Duration.ofMinutes(2))).isTrue();
      assertThat(warnings).as("the build that was not started is logged, with what it needs and what is free")
          .anySatisfy(w -> assertThat(w).contains("graph build of index").contains("not started").contains("MB free"));
      assertThat(index.stats().graphlessSegments()).as("still without its graph").isPositive();
      assertThat(index.stats().graphBuildRunning()).isFalse();
      assertThat(leftovers(path)).as("nothing half-written").isEmpty();
      Record probe = load.get(1234);
      assertThat(index.search(SearchRequest.builder(probe.vector()).k(1).build()).hits().get(0).id())
          .as("searched exhaustively meanwhile, and right").isEqualTo(probe.id());
      index.upsertAll(records(random, 99));
      assertThat(index.commit("written on beside the failed build").liveCount()).as("writes go on").isEqualTo(15_500);
    } finally {
      log.removeHandler(handler);
    }

    Files.delete(ballast);
    try (VectorIndex index = VectorIndex.open(path, options)) { // the next writable open builds again
      assertThat(index.awaitGraphBuild(java.time.Duration.ofMinutes(2))).isTrue();
      assertThat(index.stats().graphlessSegments()).isZero();
      assertThat(index.stats().docs()).isEqualTo(15_500);
      assertThat(index.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
    }
  }

  /** Segment files no kept commit references: what a failed merge would leave behind. */
  private static List<String> leftovers(Path index) throws IOException {
    java.util.Set<String> referenced = new java.util.HashSet<>();
    try (org.apache.lucene.store.Directory directory = org.apache.lucene.store.FSDirectory.open(index)) {
      for (var commit : org.apache.lucene.index.DirectoryReader.listCommits(directory)) {
        referenced.addAll(commit.getFileNames());
      }
    }
    try (var files = Files.list(index)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("_") && !referenced.contains(n)).sorted().toList();
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static List<Record> records(Random random, int batch) {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      records.add(Record.of("b" + batch + "-" + i, v, "text of record " + i + " in batch " + batch + " ".repeat(50)));
    }
    return records;
  }

  private static void fill(Path file, long bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] chunk = new byte[1 << 20];
      for (long written = 0; written < bytes; written += chunk.length) {
        f.write(chunk);
      }
    }
  }
}
