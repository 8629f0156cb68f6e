package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {
  private static final Path SOURCE = Path.of("src/main/java/dev/strata/examples/QuickStart.java");

  @TempDir Path dir;

  @Test
  void theReadmeExampleFindsOnlyTheRecentSearchDocument() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.run(dir.resolve("index"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    // doc-2 is too old for the filter and doc-3 is another topic: only doc-1 qualifies.
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("doc-1 0.9").endsWith("Lucene builds HNSW graphs per segment.");
    assertThat(lines.get(1)).isEqualTo("snapshot 2 holds 3 records");
  }

  /** The README shows the compiled, tested code above, not a copy that can drift from it. */
  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.region(SOURCE, "api"));
  }
}
