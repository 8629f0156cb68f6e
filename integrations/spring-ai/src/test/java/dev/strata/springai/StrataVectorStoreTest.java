package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.strata.core.SchemaMismatchException;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * The portable filter language, end to end through Spring AI's own text parser, against the same
 * predicate in Java; scores and thresholds on Spring AI's cosine scale; typed metadata; the drift guard.
 */
class StrataVectorStoreTest {
  private static OnnxEmbedder embedder;
  private static final UUID OWNER = UUID.fromString("5b0e1c1e-7c8f-4a51-9a43-0d5a3ad0c001");

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() {
    embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  private StrataVectorStore storeWithBooks() {
    StrataVectorStore store = StrataVectorStore.open(dir.resolve("index"), embedder);
    store.add(List.of(
        new Document("b1", "A history of the Roman empire", Map.of("genre", "history", "year", 1998, "inPrint", true, "owner", OWNER)),
        new Document("b2", "Sourdough baking at home", Map.of("genre", "cooking", "year", 2021, "inPrint", true)),
        new Document("b3", "Medieval castles and their sieges", Map.of("genre", "history", "year", 2005, "inPrint", false)),
        new Document("b4", "Quick vegetarian dinners", Map.of("genre", "cooking", "year", 2015))));
    return store;
  }

  @Test
  void everyOperatorOfTheFilterLanguageSelectsWhatItSays() {
    try (StrataVectorStore store = storeWithBooks()) {
      assertThat(ids(store, "genre == 'history'")).containsExactlyInAnyOrder("b1", "b3");
      assertThat(ids(store, "genre != 'history'")).containsExactlyInAnyOrder("b2", "b4");
      assertThat(ids(store, "year >= 2005 && year < 2021")).containsExactlyInAnyOrder("b3", "b4");
      assertThat(ids(store, "year > 2005 || genre == 'history'")).containsExactlyInAnyOrder("b1", "b2", "b3", "b4");
      assertThat(ids(store, "genre in ['cooking', 'poetry']")).containsExactlyInAnyOrder("b2", "b4");
      assertThat(ids(store, "year nin [1998, 2021]")).containsExactlyInAnyOrder("b3", "b4");
      assertThat(ids(store, "NOT (genre == 'cooking')")).containsExactlyInAnyOrder("b1", "b3");
      assertThat(ids(store, "inPrint == true")).containsExactlyInAnyOrder("b1", "b2");
      assertThat(ids(store, "inPrint IS NULL")).containsExactly("b4");
      assertThat(ids(store, "inPrint IS NOT NULL")).containsExactlyInAnyOrder("b1", "b2", "b3");
      assertThat(ids(store, "genre <= 'cooking'")).containsExactlyInAnyOrder("b2", "b4");
      assertThat(ids(store, "shelf == 'A'")).as("a key no record has matches nothing").isEmpty();
      assertThat(ids(store, "shelf != 'A'")).hasSize(4);

      store.delete(new org.springframework.ai.vectorstore.filter.FilterExpressionTextParser().parse("year < 2010"));
      assertThat(ids(store, "genre in ['history', 'cooking']")).containsExactlyInAnyOrder("b2", "b4");
    }
  }

  @Test
  void scoresAreCosineSimilaritiesAndMetadataKeepsItsTypes() {
    try (StrataVectorStore store = storeWithBooks()) {
      List<Document> hits = store.similaritySearch(SearchRequest.builder().query("Roman history").topK(4).build());
      Document best = hits.getFirst();
      assertThat(best.getId()).isEqualTo("b1");
      float[] q = embedder.embed("Roman history");
      float[] d = store.get("b1").orElseThrow().vector();
      double cosine = 0;
      for (int i = 0; i < q.length; i++) {
        cosine += q[i] * d[i];
      }
      assertThat(best.getScore()).isCloseTo(cosine, offset(1e-4));
      assertThat(best.getMetadata()).containsEntry("year", 1998).containsEntry("inPrint", true)
          .containsEntry("owner", OWNER).containsEntry("genre", "history");
      assertThat((double) best.getMetadata().get(StrataVectorStore.DISTANCE)).isCloseTo(1 - cosine, offset(1e-4));

      double threshold = hits.get(1).getScore() + 1e-6;
      assertThat(store.similaritySearch(SearchRequest.builder().query("Roman history").topK(4)
          .similarityThreshold(threshold).build())).extracting(Document::getId).containsExactly("b1");
    }
  }

  @Test
  void anIndexOfAnotherModelIsRefused() {
    storeWithBooks().close();
    try (OnnxEmbedder fp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load())) {
      assertThatThrownBy(() -> StrataVectorStore.open(dir.resolve("index"), fp32))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("modelFingerprint");
    }
  }

  @Test
  void aDocumentWithAnUnsupportedMetadataTypeIsRefusedWithItsKey() {
    try (StrataVectorStore store = StrataVectorStore.open(dir.resolve("index"), embedder)) {
      assertThatThrownBy(() -> store.add(List.of(new Document("x", "text", Map.of("tags", List.of("a"))))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("metadata 'tags': unsupported type");
      assertThat(store.similaritySearch(SearchRequest.builder().query("text").build())).isEmpty();
    }
  }

  private static List<String> ids(StrataVectorStore store, String filter) {
    return store.similaritySearch(SearchRequest.builder().query("books").topK(10).filterExpression(filter).build())
        .stream().map(Document::getId).toList();
  }
}
