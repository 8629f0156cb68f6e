package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSearchTest {
  @TempDir Path dir;

  @Test
  void aQuestionAboutRollbackFindsTheSnapshotPassage() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TextSearch.run(dir.resolve("index"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("snapshots 0.");
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.region(Path.of("src/main/java/dev/strata/examples/TextSearch.java"), "text"));
  }
}
