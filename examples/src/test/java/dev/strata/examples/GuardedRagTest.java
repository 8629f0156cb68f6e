package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedRagTest {
  private static final Path SOURCE = Path.of("src/main/java/dev/strata/examples/GuardedRag.java");

  @TempDir Path dir;

  @Test
  void theBreakerRefusesAnswersWhileTheEmbeddingPathIsBrokenAndClosesWhenItIsFixed() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    GuardedRag.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> healthy = lines.stream().filter(l -> l.startsWith("healthy: ")).toList();
    List<String> broken = lines.stream().filter(l -> l.startsWith("broken: ")).toList();
    List<String> fixed = lines.stream().filter(l -> l.startsWith("fixed: ")).toList();
    assertThat(healthy).hasSize(30).noneMatch(l -> l.contains("cannot answer"));
    assertThat(healthy.get(0)).contains("how do I undo a bad ingest? -> p0 ");
    assertThat(broken).hasSize(10).anyMatch(l -> l.endsWith("cannot answer reliably now"));
    assertThat(lines).contains("monitor: DRIFTED", "monitor: RECOVERED");
    assertThat(fixed).hasSize(15);
    assertThat(fixed.get(fixed.size() - 1)).doesNotContain("cannot answer");
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExample() throws Exception {
    assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.region(SOURCE, "guard"));
  }
}
