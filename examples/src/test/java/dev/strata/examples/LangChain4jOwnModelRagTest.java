package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.strata.core.SchemaMismatchException;
import dev.strata.langchain4j.StrataEmbeddingModel;
import dev.strata.langchain4j.StrataEmbeddingStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LangChain4j round trip with LangChain4j's own embedding model, on the Apache License 2.0. */
class LangChain4jOwnModelRagTest {
  @TempDir Path dir;

  @Test
  void theApplicationsOwnModelFindsThePatentClauseAndTheIndexRefusesStrataModel() {
    Path index = dir.resolve("index");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<EmbeddingMatch<TextSegment>> matches = LangChain4jOwnModelRag.run(
        Path.of("../LICENSE"), index, LangChain4jRag.DEFAULT_QUESTION, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(matches).hasSize(3);
    assertThat(matches.getFirst().embedded().text().replaceAll("\\s+", " ")).contains("institute patent litigation");

    try (StrataEmbeddingModel strata = StrataEmbeddingModel.defaultModel()) {
      assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(index).embeddingModel(strata).build())
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("langchain4j-all-minilm-l6-v2-q");
    }
  }

  @Test
  void theAdapterReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(java.nio.file.Files.readString(Path.of("../integrations/langchain4j/README.md")))
        .contains(ReadmeSnippets.region(Path.of("src/main/java/dev/strata/examples/LangChain4jOwnModelRag.java"), "own-model"));
  }
}
