package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.testing.BruteForce;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact search, BM25 over texts, and the two fused, on real indexes. */
class ExactAndHybridSearchTest {
  private static final float[] UNUSED = {1, 0};

  @TempDir Path dir;

  @Test
  void exactSearchIsBruteForceForEverySimilarityAcrossSegmentsDeletesAndFilters() {
    long seed = TestSeeds.seed("exact-search");
    Random random = new Random(seed);
    int count = 3_000;
    int dim = 13; // not a multiple of any SIMD width
    for (Similarity similarity : Similarity.values()) {
      float[][] vectors = ClusteredVectors.generate(seed, count, dim, 8);
      if (similarity == Similarity.DOT_PRODUCT) {
        vectors = ClusteredVectors.normalizeAll(vectors);
      }
      boolean[] deleted = new boolean[count];
      boolean[] even = new boolean[count];
      Path path = dir.resolve(similarity.externalName());
      try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, similarity).build())) {
        for (int from = 0; from < count; from += 700) { // several segments
          List<Record> batch = new ArrayList<>();
          for (int i = from; i < Math.min(count, from + 700); i++) {
            even[i] = i % 2 == 0;
            batch.add(new Record("r" + i, vectors[i], null, Map.of("parity", even[i] ? "even" : "odd")));
          }
          index.upsertAll(batch);
          index.commit("batch " + from);
        }
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < count; i += 1 + random.nextInt(9)) {
          deleted[i] = true;
          gone.add("r" + i);
        }
        index.deleteAll(gone);
        index.commit("deletes");

        for (int q = 0; q < 10; q++) {
          float[] query = vectors[random.nextInt(count)].clone();
          query[0] += 0.01f;
          if (similarity == Similarity.DOT_PRODUCT) {
            query = ClusteredVectors.normalize(query);
          }
          String where = similarity + " query " + q + " " + TestSeeds.describe(seed);
          sameRanking(exactIds(index, query, 10, null),
              BruteForce.topK(vectors, query, 10, similarity, i -> !deleted[i]), vectors, query, similarity, where);
          sameRanking(exactIds(index, query, 7, MetadataFilter.term("parity", "even")),
              BruteForce.topK(vectors, query, 7, similarity, i -> !deleted[i] && even[i]), vectors, query, similarity,
              "filtered " + where);
        }
        float[] query = vectors[0];
        Hit best = index.search(SearchRequest.builder(query).k(1).exact(true).build()).hits().getFirst();
        int bestIndex = Integer.parseInt(best.id().substring(1));
        assertThat(best.score())
            .as("exact scores are on Lucene's scale for " + similarity)
            .isCloseTo(LuceneDocuments.luceneSimilarity(similarity).compare(query, vectors[bestIndex]), offset(1e-5f));
      }
    }
  }

  /**
   * The exact search's ranking is the brute force's, position by position; two records may
   * trade places only where their scores tie within float rounding (the two sum in other orders).
   */
  private static void sameRanking(List<String> actual, List<Integer> expected, float[][] vectors, float[] query,
      Similarity similarity, String where) {
    assertThat(actual).as(where).hasSameSizeAs(expected);
    var score = LuceneDocuments.luceneSimilarity(similarity);
    for (int r = 0; r < actual.size(); r++) {
      String wanted = "r" + expected.get(r);
      if (!actual.get(r).equals(wanted)) {
        float got = score.compare(query, vectors[Integer.parseInt(actual.get(r).substring(1))]);
        float want = score.compare(query, vectors[expected.get(r)]);
        assertThat(got).as(where + ": rank " + r + " is " + actual.get(r) + ", brute force has " + wanted)
            .isCloseTo(want, offset(1e-6f));
      }
    }
  }

  @Test
  void bm25RanksByStemmedTermsAndSkipsStopWords() {
    try (VectorIndex index = textIndex()) {
      assertThat(textIds(index, "running shoes")).first().isEqualTo("shoes");
      // "runs" and "running" share the stem "run"; the document saying it twice ranks first.
      assertThat(textIds(index, "runner runs")).containsExactly("twice", "shoes", "once");
      assertThat(textIds(index, "the and of")).as("only stop words").isEmpty();
      assertThat(index.search(SearchRequest.forText("run").filter(MetadataFilter.term("kind", "a")).build())
              .hits().stream().map(Hit::id).toList())
          .containsExactly("twice");
    }
  }

  @Test
  void reciprocalRankFusionAddsOneOverSixtyPlusRankFromEachList() {
    try (VectorIndex index = textIndex()) {
      float[] nearOnce = {0, 1};
      SearchResult result = index.search(
          SearchRequest.builder(nearOnce).text("running shoes").k(4).ef(4).build());
      Map<String, Float> fused = new java.util.HashMap<>();
      List<Hit> vector = index.search(SearchRequest.builder(nearOnce).k(4).ef(4).build()).hits();
      List<Hit> text = index.search(SearchRequest.forText("running shoes").k(4).build()).hits();
      for (int r = 0; r < vector.size(); r++) {
        fused.merge(vector.get(r).id(), 1f / (60 + r + 1), Float::sum);
      }
      for (int r = 0; r < text.size(); r++) {
        fused.merge(text.get(r).id(), 1f / (60 + r + 1), Float::sum);
      }
      assertThat(result.hits()).isNotEmpty();
      for (Hit hit : result.hits()) {
        assertThat(hit.score()).as(hit.id()).isCloseTo(fused.get(hit.id()), offset(1e-6f));
      }
      assertThat(result.hits()).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
    }
  }

  @Test
  void weightedFusionNormalisesEachListSoItsBestAddsTheFullWeight() {
    try (VectorIndex index = textIndex()) {
      float[] nearOnce = {0, 1};
      List<Hit> onlyVector = index.search(SearchRequest.builder(nearOnce).text("shoes").k(4).ef(4)
          .fusion(Fusion.weighted(1f)).build()).hits();
      assertThat(onlyVector.getFirst().id()).isEqualTo("once");
      assertThat(onlyVector.getFirst().score()).isEqualTo(1f);
      List<Hit> onlyText = index.search(SearchRequest.builder(nearOnce).text("shoes").k(4).ef(4)
          .fusion(Fusion.weighted(0f)).build()).hits();
      assertThat(onlyText.getFirst().id()).isEqualTo("shoes");
      assertThat(onlyText.getFirst().score()).isEqualTo(1f);
    }
  }

  @Test
  void anIndexWithoutFullTextSaysSoWhenSearchedByText() {
    Path path = dir.resolve("plain");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.COSINE).fullText(false).build())) {
      index.upsert(new Record("a", UNUSED, "some text", Map.of()));
      index.commit("one");
    }
    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.schema().fullText()).isFalse();
      assertThatThrownBy(() -> index.search(SearchRequest.forText("text").build()))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("schema.fullText=false")
          .hasMessageContaining("rebuild it");
      assertThat(index.search(SearchRequest.builder(UNUSED).build()).hits()).hasSize(1);
    }
    IndexRebuilder.copy(path, dir.resolve("rebuilt"), b -> b, IndexRebuilder.Progress.NONE);
    try (VectorIndex rebuilt = VectorIndex.open(dir.resolve("rebuilt"))) {
      assertThat(rebuilt.schema().fullText()).isTrue();
      assertThat(textIds(rebuilt, "texts")).containsExactly("a");
    }
  }

  @Test
  void aRequestNeedsAVectorOrAText() {
    assertThatThrownBy(() -> SearchRequest.forText("query").text(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a search needs a query vector, a query text or both");
    assertThatThrownBy(() -> SearchRequest.forText("  ").build()).hasMessage("query text must not be blank");
    assertThatThrownBy(() -> Fusion.weighted(1.5f)).hasMessage("vectorWeight must be in [0, 1], got 1.5");
  }

  private VectorIndex textIndex() {
    VectorIndex index = VectorIndex.create(dir.resolve("texts"), IndexSchema.builder(2, Similarity.COSINE).build());
    index.upsertAll(List.of(
        new Record("shoes", new float[] {1, 0}, "Running shoes for the road", Map.of("kind", "b")),
        new Record("twice", new float[] {1, 1}, "She runs and runs every morning", Map.of("kind", "a")),
        new Record("once", new float[] {0, 1}, "He runs on Sundays; shoes optional", Map.of("kind", "b")),
        new Record("none", new float[] {-1, 0}, "A quiet evening with tea", Map.of("kind", "a"))));
    index.commit("texts");
    return index;
  }

  private static List<String> textIds(VectorIndex index, String text) {
    return index.search(SearchRequest.forText(text).build()).hits().stream().map(Hit::id).toList();
  }

  private static List<String> exactIds(VectorIndex index, float[] query, int k, MetadataFilter filter) {
    return index.search(SearchRequest.builder(query).k(k).exact(true).filter(filter).build())
        .hits().stream().map(Hit::id).toList();
  }

}
