package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.testing.BruteForce;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilteredSearchTest {
  private static final int COUNT = 4_000;
  private static final int DIM = 32;
  private static final String[] COLORS = {"red", "green", "blue", "cyan", "magenta"};

  @TempDir Path dir;
  private final long seed = TestSeeds.seed("FilteredSearchTest");
  private float[][] vectors;
  private String[] colors;
  private double[] prices;
  private VectorIndex index;

  @BeforeEach
  void buildIndex() {
    Random random = new Random(seed);
    vectors = ClusteredVectors.generate(seed, COUNT, DIM, 10);
    colors = new String[COUNT];
    prices = new double[COUNT];
    index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(DIM, Similarity.EUCLIDEAN).build());
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      colors[i] = COLORS[random.nextInt(COLORS.length)];
      prices[i] = random.nextInt(1000) / 10.0;
      records.add(
          new Record(
              "r" + i, vectors[i], "text " + i, Map.of("color", colors[i], "price", prices[i])));
    }
    index.upsertAll(records);
    index.commit("filtered corpus");
  }

  @AfterEach
  void close() {
    index.close();
  }

  @Test
  void termAndRangeFiltersMatchBruteForceOverTheFilteredSubsetAtHighEffort() {
    Random random = new Random(seed + 1);
    for (int q = 0; q < 20; q++) {
      float[] query = ClusteredVectors.generate(seed + 100 + q, 1, DIM, 1)[0];
      String color = COLORS[random.nextInt(COLORS.length)];
      double lo = random.nextInt(500) / 10.0;
      double hi = lo + 30;
      MetadataFilter filter =
          MetadataFilter.and(MetadataFilter.term("color", color), MetadataFilter.range("price", lo, hi));
      IntPredicate accept = i -> colors[i].equals(color) && prices[i] >= lo && prices[i] <= hi;

      SearchResult result =
          index.search(SearchRequest.builder(query).k(10).ef(2_000).filter(filter).build());

      List<String> expected =
          BruteForce.topK(vectors, query, 10, Similarity.EUCLIDEAN, accept).stream()
              .map(i -> "r" + i)
              .toList();
      assertThat(result.hits()).extracting(Hit::id).as(TestSeeds.describe(seed)).isEqualTo(expected);
      for (Hit hit : result.hits()) {
        assertThat(hit.metadata()).containsEntry("color", color);
        assertThat((Double) hit.metadata().get("price")).isBetween(lo, hi);
      }
    }
  }

  @Test
  void aFilterIsAppliedDuringTheSearchSoKHitsComeBackWhenKMatch() {
    // 1 in 5 records is red; a post-filter over the 10 nearest would return about 2 of them.
    float[] query = vectors[0];
    SearchResult result =
        index.search(
            SearchRequest.builder(query).k(10).filter(MetadataFilter.term("color", "red")).build());
    assertThat(result.hits()).hasSize(10).allSatisfy(h -> assertThat(h.metadata()).containsEntry("color", "red"));
  }

  @Test
  void numericTermFilterMatchesExactValue() {
    double price = prices[7];
    SearchResult result =
        index.search(
            SearchRequest.builder(vectors[7]).k(5).filter(MetadataFilter.term("price", price)).build());
    assertThat(result.hits()).isNotEmpty().allSatisfy(h -> assertThat(h.metadata()).containsEntry("price", price));
    assertThat(result.hits().get(0).id()).isEqualTo("r7");
  }

  @Test
  void exclusiveRangeBoundsExcludeTheBound() {
    MetadataFilter filter = new MetadataFilter.Range("price", 10.0, 20.0, false, false);
    SearchResult result = index.search(SearchRequest.builder(vectors[0]).k(50).ef(500).filter(filter).build());
    assertThat(result.hits())
        .isNotEmpty()
        .allSatisfy(h -> assertThat((Double) h.metadata().get("price")).isGreaterThan(10.0).isLessThan(20.0));
  }

  @Test
  void minScoreDropsWeakHits() {
    SearchResult all = index.search(SearchRequest.builder(vectors[3]).k(20).build());
    float cut = all.hits().get(4).score();
    SearchResult strong = index.search(SearchRequest.builder(vectors[3]).k(20).minScore(cut).build());
    assertThat(strong.hits()).allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(cut));
    assertThat(strong.hits()).hasSizeBetween(5, 19);
  }

  @Test
  void unknownFieldsAndWrongTypesInFiltersAreClearErrors() {
    assertThatThrownBy(
            () -> index.search(SearchRequest.builder(vectors[0]).filter(MetadataFilter.term("colour", "red")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown metadata field 'colour'")
        .hasMessageContaining("color");
    assertThatThrownBy(
            () -> index.search(SearchRequest.builder(vectors[0]).filter(MetadataFilter.term("price", "cheap")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field is numeric");
    assertThatThrownBy(
            () -> index.search(SearchRequest.builder(vectors[0]).filter(MetadataFilter.range("color", 1.0, 2.0)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ranges need a number field");
  }
}
