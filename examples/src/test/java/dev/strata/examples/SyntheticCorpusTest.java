package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {
  @TempDir Path dir;

  @Test
  void writesTheRequestedRecordsPlusThreeBadLinesAndAQuery() throws Exception {
    SyntheticCorpus.write(dir, 25, 8);
    List<String> lines = Files.readAllLines(dir.resolve("corpus.jsonl"));
    assertThat(lines).hasSize(28);
    assertThat(lines.get(0)).startsWith("{\"id\":\"astronomy-0\",\"vector\":[").contains("\"topic\":\"astronomy\"");
    assertThat(Files.readString(dir.resolve("query-astronomy.json"))).startsWith("[").endsWith("]");
  }

  @Test
  void isReproducible() throws Exception {
    SyntheticCorpus.write(dir.resolve("a"), 10, 4);
    SyntheticCorpus.write(dir.resolve("b"), 10, 4);
    assertThat(Files.readString(dir.resolve("a/corpus.jsonl"))).isEqualTo(Files.readString(dir.resolve("b/corpus.jsonl")));
  }
}
