package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Finite values at the edges of float and double: refused where they would break scoring or filters. */
class ExtremeValuesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = Similarity.class, names = "DOT_PRODUCT", mode = EnumSource.Mode.EXCLUDE)
  void vectorsWhoseSquaredLengthLeavesFloatRangeAreRefusedAtIngestAndAtQuery(Similarity similarity) {
    try (VectorIndex index = VectorIndex.create(dir.resolve(similarity.name()), IndexSchema.builder(4, similarity).build())) {
      float[][] extremes = {
          {1e20f, 0, 0, 0}, // squares to 1e40, beyond float
          {Float.MAX_VALUE, 1, 1, 1},
          {1e-23f, 0, 0, 0}, // squares to 1e-46, below the smallest float
          {-3e-20f, 1e-21f, 0, 0}};
      for (float[] v : extremes) {
        assertThatThrownBy(() -> index.upsert(Record.of("x", v)))
            .isInstanceOfSatisfying(RecordValidationException.class,
                e -> assertThat(e.rule()).isEqualTo(ValidationRule.VECTOR_OUT_OF_RANGE));
        assertThatThrownBy(() -> index.search(SearchRequest.builder(v).k(1).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageMatching("query vector: squared length .* (overflows|underflows) float32 scoring .*");
      }
      index.upsert(Record.of("small-part", new float[] {0.5f, 1e-23f, 0.5f, 0})); // one tiny component is harmless
      index.upsert(Record.of("large", new float[] {1e18f, 1e18f, 0, 0}));
      index.commit("in range");
      SearchResult result = index.search(SearchRequest.builder(new float[] {1, 0, 1, 0}).k(2).build());
      assertThat(result.hits()).allSatisfy(h -> assertThat(Float.isFinite(h.score())).as(h.id()).isTrue());
      assertThat(index.history().verify("2").sound()).isTrue();
    }
  }

  @Test
  void aNormalizingIndexTakesAnyFiniteDirection() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.DOT_PRODUCT).normalize(true).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("normalizing"), schema)) {
      index.upsert(Record.of("huge", new float[] {1e20f, 0, 0, 0}));
      index.upsert(Record.of("tiny", new float[] {0, 1e-23f, 0, 0}));
      index.commit("normalised copies");
      assertThat(index.get("huge").orElseThrow().vector()).containsExactly(1, 0, 0, 0);
      assertThat(index.search(SearchRequest.builder(new float[] {0, 3e-30f, 0, 0}).k(1).build()).hits())
          .extracting(Hit::id).containsExactly("tiny");
    }
  }

  @Test
  void negativeZeroIsStoredAsZeroAndFiltersOnZeroMatchIt() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("zeros"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(List.of(
          new Record("neg", new float[] {1, 0}, null, Map.of("m", -0.0)),
          new Record("pos", new float[] {0, 1}, null, Map.of("m", 0.0)),
          new Record("one", new float[] {1, 1}, null, Map.of("m", 1))));
      index.commit("zeros");
      assertThat(index.get("neg").orElseThrow().metadata().get("m")).isEqualTo(0.0);
      assertThat(ids(index, MetadataFilter.term("m", 0))).containsExactlyInAnyOrder("neg", "pos");
      assertThat(ids(index, MetadataFilter.term("m", -0.0))).containsExactlyInAnyOrder("neg", "pos");
      assertThat(ids(index, MetadataFilter.range("m", 0.0, 0.5))).containsExactlyInAnyOrder("neg", "pos");
      assertThat(ids(index, MetadataFilter.range("m", -1.0, -0.0))).containsExactlyInAnyOrder("neg", "pos");
      assertThat(ids(index, MetadataFilter.above("m", 0, false))).containsExactly("one");
      assertThat(ids(index, MetadataFilter.below("m", 0, false))).isEmpty();
    }
  }

  @Test
  void nanIsNoFilterValue() {
    assertThatThrownBy(() -> MetadataFilter.term("n", Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> MetadataFilter.range("n", null, Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> MetadataFilter.below("n", Float.NaN, true)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> MetadataFilter.in("n", List.of(1.0, Double.NaN))).hasMessageContaining("NaN");
  }

  @Test
  void integersBeyondTwoToTheFiftyThirdAreRefusedNotRounded() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("ints"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      assertThatThrownBy(() -> index.upsert(new Record("big", new float[] {1, 0}, null, Map.of("n", (1L << 53) + 1))))
          .isInstanceOfSatisfying(RecordValidationException.class,
              e -> assertThat(e.rule()).isEqualTo(ValidationRule.METADATA_VALUE_TYPE));
      index.upsert(new Record("edge", new float[] {1, 0}, null, Map.of("n", 1L << 53)));
      index.commit("edge");
      assertThat(index.get("edge").orElseThrow().metadata().get("n")).isEqualTo((double) (1L << 53));
      // Every spelling of a number no double holds: refused at the door and in filters.
      for (Number n : List.<Number>of(new java.math.BigDecimal("9007199254740993.0"),
          new java.math.BigDecimal("9.007199254740993e15"), java.math.BigInteger.ONE.shiftLeft(53).add(java.math.BigInteger.ONE))) {
        assertThatThrownBy(() -> index.upsert(new Record("big", new float[] {1, 0}, null, Map.of("n", n))))
            .as(n.toString()).hasMessageContaining("beyond 2^53");
        assertThatThrownBy(() -> MetadataFilter.term("n", n)).as(n.toString()).hasMessageContaining("beyond 2^53");
        assertThatThrownBy(() -> MetadataFilter.above("n", n, true)).as(n.toString()).hasMessageContaining("beyond 2^53");
      }
      assertThatThrownBy(() -> MetadataFilter.below("n", (1L << 53) + 1, false)).hasMessageContaining("beyond 2^53");
      // What a double does hold beyond 2^53, and ordinary fractions below it, are accepted.
      index.upsert(new Record("even", new float[] {1, 0}, null, Map.of("n", new java.math.BigDecimal("9007199254740994.0"))));
      index.upsert(new Record("tenth", new float[] {1, 0}, null, Map.of("n", new java.math.BigDecimal("0.1"))));
      index.commit("exact");
      assertThat(ids(index, MetadataFilter.term("n", (1L << 53) + 2))).containsExactly("even");
      assertThat(index.get("tenth").orElseThrow().metadata().get("n")).isEqualTo(0.1);
    }
  }

  private static List<String> ids(VectorIndex index, MetadataFilter filter) {
    return index.search(SearchRequest.builder(new float[] {1, 1}).k(10).filter(filter).build()).hits().stream()
        .map(Hit::id).toList();
  }
}
