package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.BruteForce;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recall@10 of the HNSW index against exact search, on 20k x 128 clustered vectors. Fixed seeds:
 * a recall bound is a statement about this data, and must not flake with a new draw.
 */
class RecallTest {
  private static final int COUNT = 20_000;
  private static final int DIM = 128;
  private static final int QUERIES = 200;
  private static final int K = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Similarity.class)
  void float32RecallAtDefaultSettingsIsAtLeast95Percent(Similarity similarity) throws InterruptedException {
    double recall = recall(similarity, VectorEncoding.FLOAT32);
    System.out.printf("recall@10 %s float32: %.4f%n", similarity.externalName(), recall);
    assertThat(recall).as("recall@10 for %s float32", similarity).isGreaterThanOrEqualTo(0.95);
  }

  /**
   * Quantized encodings trade recall for size, even with exact re-ranking of the ef candidates.
   * Measured here with this seed: int8 0.999, int4 0.962, binary 0.634; the floors sit a little
   * below, so a regression in quantization or re-ranking fails.
   */
  @ParameterizedTest
  @CsvSource({"INT8, 0.95", "INT4, 0.90", "BINARY, 0.55"})
  void quantizedRecallIsReported(VectorEncoding encoding, double floor) throws InterruptedException {
    double recall = recall(Similarity.COSINE, encoding);
    System.out.printf("recall@10 cosine %s: %.4f%n", encoding.externalName(), recall);
    assertThat(recall).as("recall@10 for cosine %s", encoding).isGreaterThanOrEqualTo(floor);
  }

  private double recall(Similarity similarity, VectorEncoding encoding) throws InterruptedException {
    float[][] vectors = ClusteredVectors.generate(42, COUNT + QUERIES, DIM, 50);
    if (similarity == Similarity.DOT_PRODUCT) {
      vectors = ClusteredVectors.normalizeAll(vectors);
    }
    float[][] corpus = java.util.Arrays.copyOf(vectors, COUNT);
    IndexSchema schema = IndexSchema.builder(DIM, similarity).encoding(encoding).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema)) {
      List<Record> batch = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        batch.add(Record.of(Integer.toString(i), corpus[i]));
      }
      index.upsertAll(batch);
      index.commit("corpus");
      // A bulk load: until its graph build ends the search is exact, which would pass for any graph.
      assertThat(index.awaitGraphBuild(java.time.Duration.ofMinutes(2))).isTrue();
      assertThat(index.stats().graphlessSegments()).isZero();
      long found = 0;
      for (int q = 0; q < QUERIES; q++) {
        float[] query = vectors[COUNT + q];
        Set<String> truth = new HashSet<>();
        for (int i : BruteForce.topK(corpus, query, K, similarity)) {
          truth.add(Integer.toString(i));
        }
        SearchResult result = index.search(SearchRequest.builder(query).k(K).build());
        assertThat(result.hits()).hasSize(K);
        found += result.hits().stream().filter(h -> truth.contains(h.id())).count();
      }
      return found / (double) (QUERIES * K);
    }
  }
}
