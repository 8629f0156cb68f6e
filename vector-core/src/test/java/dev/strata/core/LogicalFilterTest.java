package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * or, not, in, string ranges and substrings, each checked against the same predicate evaluated in
 * Java over random records, some of which lack the field (a negation must include those).
 */
class LogicalFilterTest {
  private static final String[] NAMES = {"alpha", "beta", "gamma", "delta", "a*b", "b?c"};

  @TempDir Path dir;

  @Test
  void everyFilterMatchesExactlyTheRecordsItsPredicateAccepts() {
    long seed = TestSeeds.seed("logical-filters");
    Random random = new Random(seed);
    List<Map<String, Object>> metadata = new ArrayList<>();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        Map<String, Object> m = new HashMap<>();
        if (random.nextInt(5) > 0) {
          m.put("name", NAMES[random.nextInt(NAMES.length)]);
        }
        if (random.nextInt(5) > 0) {
          m.put("price", (double) random.nextInt(10));
        }
        metadata.add(m);
        records.add(new Record("r" + i, new float[] {random.nextFloat(), random.nextFloat()}, null, m));
      }
      index.upsertAll(records);
      index.commit("records");

      check(index, metadata, MetadataFilter.or(MetadataFilter.term("name", "beta"), MetadataFilter.range("price", 8.0, null)),
          m -> "beta".equals(m.get("name")) || price(m) >= 8, seed);
      check(index, metadata, MetadataFilter.not(MetadataFilter.term("name", "beta")),
          m -> !"beta".equals(m.get("name")), seed);
      check(index, metadata, MetadataFilter.in("name", List.of("alpha", "gamma")),
          m -> "alpha".equals(m.get("name")) || "gamma".equals(m.get("name")), seed);
      check(index, metadata, MetadataFilter.in("price", List.of(1, 2.0, 3L)),
          m -> price(m) == 1 || price(m) == 2 || price(m) == 3, seed);
      check(index, metadata, MetadataFilter.textRange("name", "b", true, "delta", false),
          m -> m.get("name") instanceof String s && s.compareTo("b") >= 0 && s.compareTo("delta") < 0, seed);
      check(index, metadata, MetadataFilter.textRange("name", "beta", false, null, false),
          m -> m.get("name") instanceof String s && s.compareTo("beta") > 0, seed);
      check(index, metadata, MetadataFilter.contains("name", "ta"),
          m -> m.get("name") instanceof String s && s.contains("ta"), seed);
      check(index, metadata, MetadataFilter.contains("name", "*"),
          m -> m.get("name") instanceof String s && s.contains("*"), seed);
      check(index, metadata, MetadataFilter.contains("name", "?"),
          m -> m.get("name") instanceof String s && s.contains("?"), seed);
      check(index, metadata,
          MetadataFilter.and(MetadataFilter.not(MetadataFilter.or(MetadataFilter.term("name", "alpha"),
              MetadataFilter.range("price", null, 3.0))), MetadataFilter.contains("name", "a")),
          m -> !("alpha".equals(m.get("name")) || price(m) <= 3)
              && m.get("name") instanceof String s && s.contains("a"), seed);

      check(index, metadata, MetadataFilter.exists("name"), m -> m.containsKey("name"), seed);
      check(index, metadata, MetadataFilter.not(MetadataFilter.exists("price")), m -> !m.containsKey("price"), seed);
      check(index, metadata, MetadataFilter.above("name", "delta", true), m -> m.get("name") instanceof String s && s.compareTo("delta") >= 0, seed);
      check(index, metadata, MetadataFilter.below("price", 4, false), m -> price(m) < 4, seed);
      check(index, metadata, MetadataFilter.or(MetadataFilter.none(), MetadataFilter.term("name", "beta")), m -> "beta".equals(m.get("name")), seed);
      check(index, metadata, MetadataFilter.and(MetadataFilter.all(), MetadataFilter.term("name", "beta")), m -> "beta".equals(m.get("name")), seed);

      assertThatThrownBy(() -> index.search(SearchRequest.builder(new float[] {0, 0}).filter(
              MetadataFilter.contains("price", "1")).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("contains filter on 'price': field is numeric; contains filters need a string field");
      assertThatThrownBy(() -> MetadataFilter.in("name", List.of("a", 1)))
          .hasMessageContaining("values must be all strings or all numbers");
    }
  }

  private static double price(Map<String, Object> m) {
    return m.get("price") instanceof Double d ? d : Double.NaN;
  }

  private static void check(
      VectorIndex index, List<Map<String, Object>> metadata, MetadataFilter filter,
      Predicate<Map<String, Object>> predicate, long seed) {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < metadata.size(); i++) {
      if (predicate.test(metadata.get(i))) {
        expected.add("r" + i);
      }
    }
    List<String> actual = index.search(SearchRequest.builder(new float[] {0, 0}).k(1000).ef(1000)
            .exact(true).filter(filter).build())
        .hits().stream().map(Hit::id).toList();
    assertThat(actual).as(filter + " " + TestSeeds.describe(seed)).containsExactlyInAnyOrderElementsOf(expected);
  }
}
