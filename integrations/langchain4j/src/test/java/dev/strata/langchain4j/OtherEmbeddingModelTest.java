package dev.strata.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.SchemaMismatchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LangChain4j model that is not Strata's (LangChain4j's own in-process MiniLM) with the Strata store. */
class OtherEmbeddingModelTest {
  private static final List<String> PASSAGES = List.of(
      "Every commit is a snapshot you can roll back to.",
      "Sourdough rises slowly with a wild yeast starter.",
      "Compaction merges small segments into larger ones.");

  private static EmbeddingModel langchain4jModel;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadModel() {
    langchain4jModel = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  @AfterAll
  static void dropModel() {
    langchain4jModel = null;
  }

  @Test
  void aNamedLangChain4jModelWritesAndSearchesAndItsNameGuardsTheIndex() {
    Path index = dir.resolve("index");
    List<TextSegment> segments = PASSAGES.stream().map(TextSegment::from).toList();
    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().path(index)
        .embeddingModel(langchain4jModel).modelName("langchain4j/all-minilm-l6-v2-q@1.19.0-beta29").build()) {
      store.addAll(langchain4jModel.embedAll(segments).content(), segments);
      Embedding query = langchain4jModel.embed("how do I go back to yesterday's index?").content();
      List<EmbeddingMatch<TextSegment>> matches =
          store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(1).build()).matches();
      assertThat(matches).extracting(m -> m.embedded().text()).containsExactly(PASSAGES.get(0));
    }
    assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(index)
            .embeddingModel(langchain4jModel).modelName("langchain4j/all-minilm-l6-v2@1.19.0-beta29").build())
        .isInstanceOfAny(EmbeddingDriftException.class, SchemaMismatchException.class)
        .hasMessageContaining("langchain4j/all-minilm-l6-v2-q@1.19.0-beta29");
    try (StrataEmbeddingModel strata = StrataEmbeddingModel.defaultModel()) {
      assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(index).embeddingModel(strata).build())
          .isInstanceOfAny(EmbeddingDriftException.class, SchemaMismatchException.class);
    }
  }

  @Test
  void aModelThatDoesNotReportItsNameMustBeNamed() {
    assertThat(langchain4jModel.modelName()).isIn(null, "unknown");
    assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(langchain4jModel).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("name the embedding model")
        .hasMessageContaining("AllMiniLmL6V2QuantizedEmbeddingModel");
  }

  @Test
  void strataEmbeddingModelReportsTheTokensItRead() {
    try (StrataEmbeddingModel strata = StrataEmbeddingModel.defaultModel()) {
      Response<List<Embedding>> one = strata.embedAll(List.of(TextSegment.from("the")));
      Response<List<Embedding>> three = strata.embedAll(PASSAGES.stream().map(TextSegment::from).toList());
      assertThat(one.tokenUsage().inputTokenCount()).isEqualTo(3); // [CLS] the [SEP]
      assertThat(three.tokenUsage().inputTokenCount()).isGreaterThan(3 * 8);
      assertThat(three.tokenUsage().outputTokenCount()).isNull();
    }
  }
}
