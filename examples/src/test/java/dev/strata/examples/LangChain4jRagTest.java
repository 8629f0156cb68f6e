package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LangChain4j round trip over a real text: the Apache License 2.0 in this repository. */
class LangChain4jRagTest {
  @TempDir Path dir;

  @Test
  void theQuestionAboutPatentSuitsFindsThePatentTerminationClauseFirst() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<EmbeddingMatch<TextSegment>> matches = LangChain4jRag.run(
        Path.of("../LICENSE"), dir.resolve("index"), LangChain4jRag.DEFAULT_QUESTION,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(matches).hasSize(3);
    assertThat(matches.getFirst().embedded().text().replaceAll("\\s+", " "))
        .contains("institute patent litigation")
        .contains("shall terminate");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("institute patent litigation");
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.region(Path.of("src/main/java/dev/strata/examples/LangChain4jRag.java"), "rag"));
  }
}
