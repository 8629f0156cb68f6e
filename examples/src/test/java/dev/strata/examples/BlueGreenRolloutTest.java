package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlueGreenRolloutTest {
  private static final Path SOURCE = Path.of("src/main/java/dev/strata/examples/BlueGreenRollout.java");

  @TempDir Path dir;

  @Test
  void theServiceMovesToTheReembeddedIndexWithItsModel() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BlueGreenRollout.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("docs-blue (all-MiniLM-L6-v2-q): rollback ");
    assertThat(lines.get(1)).startsWith("docs-green (all-MiniLM-L6-v2): rollback ");
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.region(SOURCE, "serve"));
  }
}
