package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.index.IndexEngines;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.IndexVerification;
import dev.strata.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every crash point of every multi-step index operation, not a sample: the operation runs once
 * cleanly to count its durable steps (file created, fsync, directory fsync, rename, delete), then
 * once per step with the power lost exactly there ({@link CrashingDirectory}), unsynced files
 * lost. After each crash the index must open at an acknowledged state (the one before the
 * operation, or the one after if its commit was durable before the crash; never anything else),
 * verify sound as a whole, and take writes again.
 */
class CrashPointTest {
  /** 1,000 records written before a commit make a bulk load (flushed flat, one graph built after). */
  private static final IndexOptions OPTIONS = IndexOptions.builder().backgroundMerges(false)
      .retention(RetentionPolicy.keepLast(2)).scrubBytesPerSecond(0).bulkLoadRecords(1_000).build();

  @TempDir static Path shared;
  private static Path template;
  private static SnapshotInfo before;

  @TempDir Path dir;

  enum Operation {
    COMMIT(index -> {
      index.upsertAll(records(150, 250));
      index.deleteAll(ids(0, 10));
      index.commit("upserts and deletes");
    }),
    ROLLBACK(index -> index.history().rollbackTo("3")),
    COMPACTION(index -> new Compactor(index).compact(
        CompactionPolicy.builder().expungeDeletes(true).maxSegments(1).prune(true).build())),
    /** What ingest does: the load's graph built before its one commit. */
    BULK_LOAD_GRAPH_BUILT_BEFORE_COMMIT(index -> {
      index.upsertAll(records(2_000, 4_000));
      index.buildGraphs();
      index.commit("bulk load");
    }),
    /** What a service's upsertAll and commit do: the load committed flat, its graph built and committed after. */
    BULK_LOAD_GRAPH_BUILT_IN_BACKGROUND(index -> {
      index.upsertAll(records(2_000, 4_000));
      index.commit("bulk load");
      awaitGraphBuild(index);
    });

    final Consumer<VectorIndex> run;

    Operation(Consumer<VectorIndex> run) {
      this.run = run;
    }

    /** The background build commits a second snapshot: the load's own one, with the same records, is acknowledged too. */
    boolean acknowledgesTwice() {
      return this == BULK_LOAD_GRAPH_BUILT_IN_BACKGROUND;
    }
  }

  private static void awaitGraphBuild(VectorIndex index) {
    try {
      assertThat(index.awaitGraphBuild(java.time.Duration.ofSeconds(60))).as("graph build finished").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Snapshots 1 (empty) to 4: 600 records in three segments, 20 of them deleted. */
  @BeforeAll
  static void template() {
    template = shared.resolve("template");
    try (VectorIndex index = VectorIndex.create(template, IndexSchema.builder(8, Similarity.EUCLIDEAN).build(), OPTIONS)) {
      index.upsertAll(records(0, 200));
      index.commit("first");
      index.upsertAll(records(200, 400));
      index.commit("second");
      index.upsertAll(records(400, 600));
      index.deleteAll(ids(300, 320));
      before = index.commit("third");
    }
  }

  @ParameterizedTest
  @EnumSource(Operation.class)
  void everyCrashPointLeavesAnAcknowledgedVerifiedWritableIndex(Operation operation) throws Exception {
    Path clean = copyOfTemplate("clean");
    SnapshotInfo after;
    List<String> steps;
    try (CrashingDirectory counting = new CrashingDirectory(FSDirectory.open(clean), clean, 0);
        VectorIndex index = IndexEngines.over(new IndexEngine(clean, counting, OPTIONS))) {
      operation.run.accept(index);
      after = index.latestSnapshot();
      steps = counting.steps();
    }
    assertThat(steps).as("a multi-step operation").hasSizeGreaterThan(3);

    int atBefore = 0;
    int atAfter = 0;
    for (int crashAt = 1; crashAt <= steps.size(); crashAt++) {
      Path path = copyOfTemplate("crash-" + crashAt);
      CrashingDirectory directory = new CrashingDirectory(FSDirectory.open(path), path, crashAt);
      boolean acknowledged = false;
      VectorIndex index = null;
      try {
        index = IndexEngines.over(new IndexEngine(path, directory, OPTIONS));
        operation.run.accept(index);
        acknowledged = true;
      } catch (IOException | RuntimeException e) {
        assertThat(directory.crashed()).as("%s failed without a crash at step %d: %s", operation, crashAt, e).isTrue();
      }
      dieWith(index, directory);
      directory.loseUnsyncedFiles();

      String where = operation + " crashed at step " + crashAt + " of " + steps.size() + " (" + steps.get(crashAt - 1) + ")";
      try (VectorIndex reopened = VectorIndex.open(path, OPTIONS)) {
        SnapshotInfo latest = reopened.latestSnapshot();
        if (latest.id() == before.id() && !acknowledged) {
          atBefore++;
          assertThat(latest.recordDigest()).as(where).isEqualTo(before.recordDigest());
        } else if (operation.acknowledgesTwice() && latest.id() == after.id() - 1) {
          atAfter++; // the load's own commit: its graph build is started again by this writable open
          assertThat(latest.recordDigest()).as(where).isEqualTo(after.recordDigest());
          awaitGraphBuild(reopened);
          assertThat(reopened.stats().graphlessSegments()).as(where + ": graph built after the crash").isZero();
        } else {
          atAfter++;
          assertThat(latest.id()).as(where + ": the only other acknowledged state").isEqualTo(after.id());
          assertThat(latest.recordDigest()).as(where).isEqualTo(after.recordDigest());
          assertThat(latest.liveCount()).as(where).isEqualTo(after.liveCount());
        }
        reopened.upsertAll(records(1_000, 1_010));
        assertThat(reopened.commit("after the crash").liveCount()).as(where + ": takes writes again")
            .isEqualTo(latest.liveCount() + 10);
      }
      IndexVerification verification = IndexRecovery.verifyIndex(path);
      assertThat(verification.sound()).as(where + ": " + verification).isTrue();
      TestFiles.deleteTree(path);
    }
    System.out.printf("%s: %d crash points (%d at the state before, %d after)%n",
        operation, steps.size(), atBefore, atAfter);
  }

  /** The process is gone: its writer and files are dropped, failing as a dead process's would. */
  private static void dieWith(VectorIndex index, CrashingDirectory directory) {
    try {
      if (index != null) {
        index.close(); // releases the write lock; every write it tries fails, the process being dead
      } else {
        directory.close();
      }
    } catch (IOException | RuntimeException e) {
      // expected: the directory refuses everything after the crash
    }
  }

  private Path copyOfTemplate(String name) throws IOException {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(template)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().endsWith(".lock")) {
          Files.copy(file, copy.resolve(file.getFileName()));
        }
      }
    }
    return copy;
  }

  private static List<Record> records(int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      float[] v = new float[8];
      for (int d = 0; d < 8; d++) {
        v[d] = (float) Math.sin(i * 0.37 + d);
      }
      records.add(Record.of("r" + i, v, "text " + i));
    }
    return records;
  }

  private static List<String> ids(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add("r" + i);
    }
    return ids;
  }
}
