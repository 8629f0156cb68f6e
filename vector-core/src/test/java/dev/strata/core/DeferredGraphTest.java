package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferred graphs on real indexes: flushed segments carry no HNSW graph, are searched exhaustively
 * (so exactly) meanwhile, and a compaction builds their graphs, also for a single segment, also
 * when the index is reopened without the option.
 */
class DeferredGraphTest {
  private static final int DIM = 24;
  private static final int PER_SEGMENT = 2_500;

  @TempDir Path dir;

  @Test
  void flushedSegmentsHaveNoGraphUntilACompactionBuildsIt() {
    long seed = TestSeeds.seed("deferred-graphs");
    float[][] vectors = ClusteredVectors.generate(seed, 3 * PER_SEGMENT + 50, DIM, 12);
    Path path = dir.resolve("deferred");
    IndexOptions deferred = IndexOptions.builder().deferGraphs(true).backgroundMerges(false).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), deferred)) {
      for (int segment = 0; segment < 3; segment++) {
        index.upsertAll(records(vectors, segment * PER_SEGMENT, (segment + 1) * PER_SEGMENT));
        index.commit("segment " + segment);
      }
      assertThat(index.stats().segments()).isEqualTo(3);
      assertThat(index.stats().graphlessSegments()).isEqualTo(3);
      assertThat(CompactionPolicy.DEFAULT.triggers(index.stats(), 0, java.time.Instant.now(), null))
          .as("a due compaction names the missing graphs")
          .anyMatch(t -> t.contains("without their HNSW graph"));

      // Without a graph Lucene scores every vector: the approximate search is the exact one.
      Random random = new Random(seed);
      for (int q = 0; q < 10; q++) {
        float[] query = query(vectors, random);
        assertThat(ids(index, query, false)).as("query %d, %s", q, TestSeeds.describe(seed))
            .isEqualTo(ids(index, query, true));
      }

      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(2).build());
      assertThat(index.stats().segments()).isLessThanOrEqualTo(2);
      assertThat(index.stats().graphlessSegments()).as("every merged or rewritten segment has its graph").isZero();
      assertThat(meanRecall(index, vectors, seed)).isGreaterThanOrEqualTo(0.9);
      assertThat(index.stats().docs()).isEqualTo(3 * PER_SEGMENT);
    }
  }

  /** Two merge workers build the merged graph on the shared pool, with the quality of one. */
  @Test
  void aCompactionBuildsTheGraphOnSeveralMergeWorkers() {
    long seed = TestSeeds.seed("deferred-workers");
    float[][] vectors = ClusteredVectors.generate(seed, 2 * PER_SEGMENT, DIM, 12);
    IndexOptions twoWorkers = IndexOptions.builder().deferGraphs(true).backgroundMerges(false).mergeWorkers(2).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("workers"), IndexSchema.builder(DIM, Similarity.COSINE).build(), twoWorkers)) {
      for (int segment = 0; segment < 2; segment++) {
        index.upsertAll(records(vectors, segment * PER_SEGMENT, (segment + 1) * PER_SEGMENT));
        index.commit("segment " + segment);
      }
      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      assertThat(index.stats().graphlessSegments()).isZero();
      assertThat(meanRecall(index, vectors, seed)).isGreaterThanOrEqualTo(0.9);
    }
    assertThat(Thread.getAllStackTraces().keySet()).as("Lucene's concurrent merge ran on Strata's pool")
        .anyMatch(t -> t.getName().startsWith("strata-hnsw-merge-") && t.isDaemon());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IndexOptions.builder().mergeWorkers(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mergeWorkers");
  }

  @Test
  void aSingleFlushedSegmentIsRewrittenWithItsGraphEvenByAProcessWithoutTheOption() {
    long seed = TestSeeds.seed("deferred-single");
    float[][] vectors = ClusteredVectors.generate(seed, PER_SEGMENT, DIM, 12);
    Path path = dir.resolve("single");
    try (VectorIndex index = VectorIndex.create(
        path, IndexSchema.builder(DIM, Similarity.DOT_PRODUCT).build(), IndexOptions.builder().deferGraphs(true).build())) {
      index.upsertAll(records(ClusteredVectors.normalizeAll(vectors), 0, PER_SEGMENT));
      index.commit("one flush");
      assertThat(index.stats().segments()).isEqualTo(1);
      assertThat(index.stats().graphlessSegments()).isEqualTo(1);
    }
    try (VectorIndex index = VectorIndex.open(path)) { // default options: graphs at flush
      new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      assertThat(index.stats().segments()).isEqualTo(1);
      assertThat(index.stats().graphlessSegments()).isZero();
      assertThat(index.history().verify(Long.toString(index.stats().snapshot().id())).sound()).isTrue();
    }
  }

  @Test
  void withoutTheOptionEveryFlushedSegmentHasItsGraph() {
    long seed = TestSeeds.seed("graphs-at-flush");
    float[][] vectors = ClusteredVectors.generate(seed, PER_SEGMENT, DIM, 12);
    try (VectorIndex index = VectorIndex.create(dir.resolve("eager"), IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      index.upsertAll(records(vectors, 0, PER_SEGMENT));
      index.commit("one flush");
      assertThat(index.stats().graphlessSegments()).isZero();
    }
  }

  private static List<Record> records(float[][] vectors, int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new Record("r" + i, vectors[i], null, Map.of()));
    }
    return records;
  }

  private static float[] query(float[][] vectors, Random random) {
    float[] query = vectors[random.nextInt(vectors.length)].clone();
    query[random.nextInt(DIM)] += 0.1f;
    return query;
  }

  private static List<String> ids(VectorIndex index, float[] query, boolean exact) {
    return index.search(SearchRequest.builder(query).k(10).exact(exact).idsOnly(true).build())
        .hits().stream().map(Hit::id).toList();
  }

  private static double meanRecall(VectorIndex index, float[][] vectors, long seed) {
    Random random = new Random(seed + 1);
    double sum = 0;
    int queries = 30;
    for (int q = 0; q < queries; q++) {
      float[] query = query(vectors, random);
      Set<String> truth = new HashSet<>(ids(index, query, true));
      sum += ids(index, query, false).stream().filter(truth::contains).count() / 10.0;
    }
    return sum / queries;
  }
}
