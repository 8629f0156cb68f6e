package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentSearchTest {
  @TempDir Path dir;

  /**
   * Searchers run while a writer upserts, deletes and commits. Every search must succeed, see a
   * snapshot no older than the one it saw before, and return only records of a committed state.
   */
  @Test
  void searchesDuringWritesSeeOnlyCommittedSnapshotsInOrder() throws Exception {
    long seed = TestSeeds.seed("ConcurrentSearchTest");
    int dim = 16;
    int rounds = 20 * TestSeeds.multiplier();
    float[][] vectors = ClusteredVectors.generate(seed, rounds * 50, dim, 8);
    try (VectorIndex index =
        VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(dim, Similarity.EUCLIDEAN).build())) {
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<Integer>> searchers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        searchers.add(
            pool.submit(
                () -> {
                  long lastSnapshot = 0;
                  int searches = 0;
                  while (writing.get() || searches < 10) {
                    SearchResult result =
                        index.search(SearchRequest.builder(vectors[(searches * 7 + thread) % vectors.length]).k(5).build());
                    assertThat(result.snapshotId()).isGreaterThanOrEqualTo(lastSnapshot);
                    // Deleted ids ("x" prefix) are removed in the same commit that adds them.
                    assertThat(result.hits()).noneMatch(h -> h.id().startsWith("x"));
                    lastSnapshot = result.snapshotId();
                    searches++;
                  }
                  return searches;
                }));
      }
      for (int round = 0; round < rounds; round++) {
        List<Record> batch = new ArrayList<>();
        for (int i = round * 50; i < (round + 1) * 50; i++) {
          batch.add(Record.of("r" + i, vectors[i]));
          batch.add(Record.of("x" + i, vectors[i]));
        }
        index.upsertAll(batch);
        index.deleteAll(batch.stream().map(Record::id).filter(id -> id.startsWith("x")).toList());
        index.commit("round " + round);
      }
      writing.set(false);
      for (Future<Integer> f : searchers) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as(TestSeeds.describe(seed)).isGreaterThanOrEqualTo(10);
      }
      pool.shutdown();
      assertThat(index.stats().docs()).isEqualTo(rounds * 50L);
    }
  }
}
