package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.snapshot.SnapshotSummary;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.GraphRecall;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk loads on the default path: past {@link IndexOptions#bulkLoadRecords()} records since the
 * last commit, segments are flushed without their graph (no background merge meanwhile), and the
 * commit starts one background build that merges them, with what the load flushed before it counted
 * as one, into one segment with its graph and commits it; small commits keep their
 * graphs at flush; a build cut short by a close resumes at the next writable open.
 */
class BulkLoadGraphBuildTest {
  private static final int DIM = 24;
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void aBulkLoadIsFlushedWithoutGraphsAndItsGraphIsBuiltOnceAfterTheCommit() throws InterruptedException {
    long seed = TestSeeds.seed("bulk-load");
    float[][] vectors = ClusteredVectors.generate(seed, 8_000, DIM, 12);
    // A small RAM buffer, so the load is several flushed segments.
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(1_000).ramBufferMb(1).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("bulk"), IndexSchema.builder(DIM, Similarity.COSINE).build(), options)) {
      for (int from = 0; from < vectors.length; from += 250) {
        index.upsertAll(records(vectors, from, from + 250));
      }
      SnapshotInfo load = index.commit("bulk load");

      assertThat(index.awaitGraphBuild(PATIENCE)).as("the graph build ended").isTrue();
      IndexStats built = index.stats();
      assertThat(built.graphBuildRunning()).isFalse();
      assertThat(built.graphlessSegments()).as("every segment has its graph").isZero();
      assertThat(built.segments()).as("the load ends as one segment, the part flushed before it counted as one included")
          .isEqualTo(1);
      assertThat(built.snapshot().id()).as("the build committed its own snapshot").isEqualTo(load.id() + 1);
      assertThat(built.snapshot().message()).startsWith("graph build: ").contains("merged into one");
      assertThat(built.docs()).isEqualTo(vectors.length);
      assertThat(index.history().verify(Long.toString(built.snapshot().id())).sound()).isTrue();
      assertThat(meanRecall(index, vectors, seed)).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  void aCallerThatCanWaitBuildsTheGraphBeforeItsCommitAndGetsOneSnapshot() throws InterruptedException {
    long seed = TestSeeds.seed("bulk-before-commit");
    float[][] vectors = ClusteredVectors.generate(seed, 6_000, DIM, 12);
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(1_000).ramBufferMb(1).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("before"), IndexSchema.builder(DIM, Similarity.COSINE).build(), options)) {
      SnapshotInfo created = index.latestSnapshot();
      for (int from = 0; from < vectors.length; from += 500) {
        index.upsertAll(records(vectors, from, from + 500));
      }
      assertThat(index.buildGraphs()).as("segments merged").isGreaterThan(1);
      assertThat(index.latestSnapshot()).as("nothing committed yet").isEqualTo(created);
      SnapshotInfo load = index.commit("bulk load");
      assertThat(index.awaitGraphBuild(Duration.ZERO)).as("buildGraphs ended the load: its commit started no build").isTrue();
      IndexStats stats = index.stats();
      assertThat(stats.snapshot().id()).as("no graph-build snapshot after the load's").isEqualTo(load.id());
      assertThat(stats.segments()).isEqualTo(1);
      assertThat(stats.graphlessSegments()).isZero();
      assertThat(stats.docs()).isEqualTo(vectors.length);
      assertThat(meanRecall(index, vectors, seed)).isGreaterThanOrEqualTo(0.9);
      assertThat(index.buildGraphs()).as("nothing left without a graph").isZero();
    }
  }

  @Test
  void commitsSmallerThanABulkLoadKeepTheirGraphsAtFlush() throws InterruptedException {
    long seed = TestSeeds.seed("small-commits");
    float[][] vectors = ClusteredVectors.generate(seed, 2_500, DIM, 12);
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(1_000).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("small"), IndexSchema.builder(DIM, Similarity.COSINE).build(), options)) {
      for (int from = 0; from < vectors.length; from += 500) {
        index.upsertAll(records(vectors, from, from + 500));
        index.commit("batch " + from);
        assertThat(index.stats().graphlessSegments()).as("after batch %d", from).isZero();
        assertThat(index.stats().graphBuildRunning()).isFalse();
      }
      assertThat(index.awaitGraphBuild(Duration.ZERO)).as("no build was ever started").isTrue();
      assertThat(index.history().list()).extracting(s -> s.info().message()).noneMatch(m -> m.startsWith("graph build"));
    }
  }

  @Test
  void segmentsLeftWithoutTheirGraphAreBuiltWhenTheIndexIsNextOpenedForWriting() throws InterruptedException {
    long seed = TestSeeds.seed("bulk-resume");
    float[][] vectors = ClusteredVectors.generate(seed, 5_000, DIM, 12);
    Path path = dir.resolve("resume");
    // Deferred graphs leave graph-less segments behind for certain, as a close during a build would.
    IndexOptions deferred = IndexOptions.builder().deferGraphs(true).backgroundMerges(false).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), deferred)) {
      for (int from = 0; from < vectors.length; from += 2_500) {
        index.upsertAll(records(vectors, from, from + 2_500));
        index.commit("flat " + from);
      }
      assertThat(index.stats().graphlessSegments()).isEqualTo(2);
    }
    try (VectorIndex readOnly = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
      assertThat(readOnly.awaitGraphBuild(Duration.ZERO)).isTrue();
      assertThat(readOnly.stats().graphlessSegments()).as("a reader builds nothing").isEqualTo(2);
    }
    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.awaitGraphBuild(PATIENCE)).isTrue();
      assertThat(index.stats().graphlessSegments()).isZero();
      assertThat(index.stats().segments()).isEqualTo(1);
      assertThat(index.latestSnapshot().message()).startsWith("graph build: 2 segment(s)");
      assertThat(meanRecall(index, vectors, seed)).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  void aCloseDuringTheGraphBuildLosesNothingAndTheNextWritableOpenFinishesIt() throws InterruptedException {
    long seed = TestSeeds.seed("bulk-close");
    float[][] vectors = ClusteredVectors.generate(seed, 8_000, DIM, 12);
    Path path = dir.resolve("closed");
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(1_000).ramBufferMb(1).build();
    SnapshotInfo load;
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), options)) {
      index.upsertAll(records(vectors, 0, vectors.length));
      load = index.commit("bulk load");
    } // closed at once: the build is aborted (or, on a fast machine, already done)
    try (VectorIndex index = VectorIndex.open(path, options)) {
      assertThat(index.stats().snapshot().id()).isGreaterThanOrEqualTo(load.id());
      assertThat(index.awaitGraphBuild(PATIENCE)).isTrue();
      IndexStats built = index.stats();
      assertThat(built.graphlessSegments()).isZero();
      assertThat(built.docs()).isEqualTo(vectors.length);
      assertThat(built.snapshot().message()).startsWith("graph build: ");
      assertThat(index.history().verify(Long.toString(built.snapshot().id())).sound()).isTrue();
    }
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> IndexOptions.builder().bulkLoadRecords(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bulkLoadRecords must be >= 0");
    assertThat(IndexOptions.DEFAULTS.bulkLoadRecords()).isEqualTo(IndexOptions.DEFAULT_BULK_LOAD_RECORDS);
  }

  private static List<Record> records(float[][] vectors, int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < Math.min(to, vectors.length); i++) {
      records.add(new Record("r" + i, vectors[i], null, Map.of()));
    }
    return records;
  }

  private static double meanRecall(VectorIndex index, float[][] vectors, long seed) {
    return GraphRecall.mean(index, vectors, new Random(seed + 1), 30);
  }
}
