package dev.strata.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.strata.core.SchemaMismatchException;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Strata store adds beyond LangChain4j's contract: durability, snapshots, the drift guard, hybrid search. */
class StrataEmbeddingStoreTest {
  private static StrataEmbeddingModel model;

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() {
    model = StrataEmbeddingModel.defaultModel();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private StrataEmbeddingStore open() {
    return StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(model).hybridSearch(true).build();
  }

  private static void add(StrataEmbeddingStore store, String text, String topic) {
    TextSegment segment = TextSegment.from(text, new Metadata().put("topic", topic));
    store.add(model.embed(segment).content(), segment);
  }

  @Test
  void whatWasAddedSurvivesAReopenAndARemoveAllCanBeRolledBack() {
    try (StrataEmbeddingStore store = open()) {
      add(store, "Snapshots are Lucene commits you can roll back to.", "ops");
      add(store, "Sourdough rises slowly with a wild yeast starter.", "food");
    }
    try (StrataEmbeddingStore store = open()) {
      assertThat(search(store, "how do I restore an old version?", null)).first()
          .satisfies(m -> assertThat(m.embedded().metadata().getString("topic")).isEqualTo("ops"));
      long before = store.index().history().list().stream().mapToLong(s -> s.info().id()).max().orElseThrow();
      store.removeAll();
      assertThat(search(store, "anything", null)).isEmpty();
      store.index().history().rollbackTo(Long.toString(before));
      assertThat(search(store, "bread", null)).hasSize(2);
    }
  }

  @Test
  void anIndexBuiltWithOneModelRefusesAStoreOfAnother() {
    open().close();
    try (OnnxEmbedder fp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load())) {
      StrataEmbeddingModel other = StrataEmbeddingModel.of(fp32);
      assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(other).build())
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("modelFingerprint")
          .hasMessageContaining("all-MiniLM-L6-v2-q@sha256:")
          .hasMessageContaining("all-MiniLM-L6-v2@sha256:");
    }
  }

  @Test
  void aQueryTextMakesTheSearchHybridWhenEnabled() {
    try (StrataEmbeddingStore store = open()) {
      add(store, "The ZX-81 error code means the disk is full.", "ops");
      add(store, "Storage troubles: what to do when there is no space left.", "ops");
      add(store, "Bread recipes for beginners.", "food");
      // The rare token "ZX-81" is what BM25 catches and a sentence embedding blurs.
      List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder()
          .queryEmbedding(model.embed("ZX-81").content()).query("ZX-81").maxResults(3).build()).matches();
      assertThat(hits.getFirst().embedded().text()).contains("ZX-81");
      assertThat(hits.getFirst().score()).as("first in both lists: 2 / 61").isEqualTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void aFilterOnAKeyNoRecordHasMatchesNothingAndItsNegationEverything() {
    try (StrataEmbeddingStore store = open()) {
      add(store, "one", "a");
      add(store, "two", "b");
      assertThat(search(store, "one", metadataKey("missing").isEqualTo("x"))).isEmpty();
      assertThat(search(store, "one", metadataKey("missing").isNotEqualTo("x"))).hasSize(2);
      assertThat(search(store, "one", metadataKey("topic").isIn(List.of("b")))).hasSize(1);
    }
  }

  @Test
  void aFilterTypeItCannotTranslateIsAnErrorNotIgnored() {
    try (StrataEmbeddingStore store = open()) {
      add(store, "one", "a");
      Filter custom = object -> true;
      assertThatThrownBy(() -> search(store, "one", custom))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("cannot translate filter");
    }
  }

  private static List<EmbeddingMatch<TextSegment>> search(StrataEmbeddingStore store, String text, Filter filter) {
    Embedding query = model.embed(text).content();
    return store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).filter(filter).maxResults(10).build())
        .matches();
  }
}
