package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids-only searches read ids from doc values instead of the stored records: the same hits, in the
 * same order, with the same scores as a full search, whatever the search kind.
 */
class IdsOnlySearchTest {
  @TempDir Path dir;

  @Test
  void idsOnlyHitsAreTheFullHitsWithoutTextAndMetadata() {
    long seed = TestSeeds.seed("ids-only");
    Random random = new Random(seed);
    int count = 2_000;
    int dim = 16;
    float[][] vectors = ClusteredVectors.generate(seed, count, dim, 10);
    IndexSchema schema = IndexSchema.builder(dim, Similarity.COSINE).fullText(true).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("index"), schema)) {
      for (int from = 0; from < count; from += 500) { // several segments, ids not in document order
        List<Record> batch = new ArrayList<>();
        for (int i = from; i < from + 500; i++) {
          String topic = i % 3 == 0 ? "alpha" : "beta";
          batch.add(new Record("id-" + (count - i), vectors[i], topic + " text " + i, Map.of("topic", topic)));
        }
        index.upsertAll(batch);
        index.commit("batch " + from);
      }
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        gone.add("id-" + (1 + random.nextInt(count)));
      }
      index.deleteAll(gone);
      index.commit("deletes");

      for (int q = 0; q < 20; q++) {
        float[] query = vectors[random.nextInt(count)].clone();
        query[random.nextInt(dim)] += 0.05f;
        String where = "query " + q + " " + TestSeeds.describe(seed);
        List<SearchRequest.Builder> kinds = List.of(
            SearchRequest.builder(query).k(10).ef(40),
            SearchRequest.builder(query).k(7).filter(MetadataFilter.term("topic", "alpha")),
            SearchRequest.builder(query).k(5).exact(true).minScore(0.5f),
            SearchRequest.builder(query).k(10).text("alpha text " + random.nextInt(count)),
            SearchRequest.forText("beta text " + random.nextInt(count)).k(10));
        for (int kind = 0; kind < kinds.size(); kind++) {
          List<Hit> full = index.search(kinds.get(kind).build()).hits();
          List<Hit> idsOnly = index.search(kinds.get(kind).idsOnly(true).build()).hits();
          assertThat(full).as("kind %d, %s", kind, where).isNotEmpty();
          assertThat(idsOnly).as("kind %d, %s", kind, where).hasSameSizeAs(full);
          for (int i = 0; i < full.size(); i++) {
            Hit expected = full.get(i);
            Hit actual = idsOnly.get(i);
            assertThat(actual.id()).as("hit %d of kind %d, %s", i, kind, where).isEqualTo(expected.id());
            // Not bit for bit: the JIT's vectorised dot product and the interpreter's sum lanes in
            // a different order, so one search's scores can differ from the next in the last bit.
            assertThat(actual.score()).as("hit %d of kind %d, %s", i, kind, where)
                .isCloseTo(expected.score(), offset(1e-6f));
            assertThat(actual.text()).isNull();
            assertThat(actual.metadata()).isEmpty();
            assertThat(expected.text()).isNotNull();
          }
        }
      }
    }
  }
}
