package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotDiff;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.GraphRecall;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk load large enough for {@link IndexOptions.Builder#vectorOrder} (384 dimensions, past its
 * 32 MiB of vectors) ends as one segment whose doc ids are no longer the load's order, and nothing
 * a user sees changed: every record reads back, the graph build's snapshot holds the same records
 * as the load's (diff empty, digest verified), searches find their neighbours.
 */
class VectorOrderedMergeTest {
  private static final int DIM = 384;
  private static final int COUNT = 24_000;

  @TempDir Path dir;

  @Test
  void aReorderedBulkLoadHoldsTheSameRecords() throws Exception {
    long seed = TestSeeds.seed("vector-ordered-merge");
    float[][] vectors = ClusteredVectors.generate(seed, COUNT, DIM, 40);
    Path path = dir.resolve("ordered");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(),
        IndexOptions.builder().vectorOrder(true).build())) {
      for (int from = 0; from < COUNT; from += 2_000) {
        List<Record> batch = new ArrayList<>();
        for (int i = from; i < from + 2_000; i++) {
          batch.add(new Record("r" + i, vectors[i], "text " + i, Map.of("n", "m" + i)));
        }
        index.upsertAll(batch);
      }
      SnapshotInfo load = index.commit("bulk load");
      assertThat(index.awaitGraphBuild(Duration.ofMinutes(3))).isTrue();
      IndexStats built = index.stats();
      assertThat(built.segments()).isEqualTo(1);
      assertThat(built.graphlessSegments()).isZero();

      SnapshotDiff diff = index.history().diff(Long.toString(load.id()), Long.toString(built.snapshot().id()));
      assertThat(diff.same()).as("the reordered graph build's snapshot against the load's").isTrue();
      assertThat(index.history().verify(Long.toString(built.snapshot().id())).sound()).isTrue();
      Random random = new Random(seed);
      for (int n = 0; n < 200; n++) {
        int i = random.nextInt(COUNT);
        Record record = index.get("r" + i).orElseThrow();
        assertThat(record.vector()).containsExactly(vectors[i]);
        assertThat(record.text()).isEqualTo("text " + i);
        assertThat(record.metadata()).containsEntry("n", "m" + i);
      }
      assertThat(GraphRecall.mean(index, vectors, random, 20)).isGreaterThanOrEqualTo(0.9);
    }
    assertThat(loadOrderKept(path)).as("doc ids still in the load's order").isFalse();
  }

  private static boolean loadOrderKept(Path path) throws Exception {
    try (Directory directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      LeafReader leaf = reader.leaves().getFirst().reader();
      BinaryDocValues ids = leaf.getBinaryDocValues(LuceneFields.ID_VALUES);
      int previous = -1;
      for (int doc = 0; doc < leaf.maxDoc(); doc++) {
        if (ids == null || !ids.advanceExact(doc)) {
          return true;
        }
        int n = Integer.parseInt(ids.binaryValue().utf8ToString().substring(1));
        if (n < previous) {
          return false;
        }
        previous = n;
      }
      return true;
    }
  }
}
