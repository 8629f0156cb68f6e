package dev.strata.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.strata.core.live.CommitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's continuous-writing snippet, and checks the README shows exactly this code. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theIdempotentIngestSnippetRunsAndStoresOneCopy() throws IOException {
    Path indexDir = dir.resolve("rag-index");
    long records;
    boolean sameId;
    // --8<-- [start:idempotent]
    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder()
        .path(indexDir)
        .dimension(3)
        .idsFromContent(true)                                      // same text + metadata: same id
        .commitPolicy(CommitPolicy.every(Duration.ofSeconds(1)))   // calls return at once; a commit a second
        .build()) {
      TextSegment segment = TextSegment.from("Snapshots are Lucene commits.", Metadata.from("source", "ops.md"));
      Embedding embedding = Embedding.from(new float[] {0.1f, 0.7f, 0.2f});
      String first = store.add(embedding, segment);
      String again = store.add(embedding, segment);                // the same document ingested again
      store.flush();                                               // durable now, not within the second
      records = store.index().stats().docs();
      sameId = first.equals(again);
    }
    // --8<-- [end:idempotent]
    assertThat(records).isEqualTo(1);
    assertThat(sameId).isTrue();

    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("// --8<-- \\[start:idempotent]\\n(.*?)\\n\\s*// --8<-- \\[end:idempotent]", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("src/test/java/dev/strata/langchain4j/ReadmeExampleTest.java")));
    assertThat(m.find()).isTrue();
    String region = m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThat(readme).contains(region);
  }
}
