package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.live.CommitPolicy;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

/** Runs the README's Spring AI snippet, and checks the README shows exactly this code. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theReadmeSnippetRunsAndFindsTheSnapshotPassage() throws IOException {
    Path indexDir = dir.resolve("rag-index");
    List<Document> found;
    // --8<-- [start:spring-ai]
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
        StrataVectorStore store = StrataVectorStore.open(indexDir, embedder)) {
      store.add(List.of(
          new Document("Every commit is a snapshot you can roll back to.", Map.of("topic", "ops")),
          new Document("Sourdough rises slowly with a wild yeast starter.", Map.of("topic", "food"))));
      List<Document> hits = store.similaritySearch(SearchRequest.builder()
          .query("how do I go back to yesterday's index?")
          .topK(3)
          .filterExpression("topic == 'ops'")
          .build());
      found = hits;
    }
    // --8<-- [end:spring-ai]
    assertThat(found).hasSize(1);
    assertThat(found.getFirst().getText()).contains("snapshot");

    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("// --8<-- \\[start:spring-ai]\\n(.*?)\\n\\s*// --8<-- \\[end:spring-ai]", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("src/test/java/dev/strata/springai/ReadmeExampleTest.java")));
    assertThat(m.find()).isTrue();
    String region = m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThat(readme).contains(region);
  }

  @Test
  void theIdempotentIngestSnippetRunsAndStoresOneCopy() throws IOException {
    Path indexDir = dir.resolve("docs-index");
    long records;
    // --8<-- [start:idempotent]
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
        StrataVectorStore store = StrataVectorStore.builder(embedder)
            .path(indexDir)
            .idsFromContent(true)                                    // same text + metadata: same id
            .commitPolicy(CommitPolicy.every(Duration.ofSeconds(1))) // add returns at once; a commit a second
            .build()) {
      for (int run = 0; run < 2; run++) {                            // the same ingest job, run twice
        store.add(List.of(new Document("Aliases move readers and writers together.", Map.of("source", "ops.md"))));
      }
      store.flush();                                                 // durable now, not within the second
      records = store.index().stats().docs();
    }
    // --8<-- [end:idempotent]
    assertThat(records).isEqualTo(1);
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("// --8<-- \\[start:idempotent]\\n(.*?)\\n\\s*// --8<-- \\[end:idempotent]", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("src/test/java/dev/strata/springai/ReadmeExampleTest.java")));
    assertThat(m.find()).isTrue();
    String region = m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThat(readme).contains(region);
  }
}
