package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsCorpusTest {
  @TempDir Path dir;

  @Test
  void splitsBySectionAndParagraphSkippingCode() {
    List<Map.Entry<String, String>> passages =
        DocsCorpus.passages(
            List.of(
                "# Title",
                "First paragraph " + "x".repeat(200),
                "",
                "```",
                "code that must not appear",
                "```",
                "## Usage",
                "short line",
                "- a list item that is long enough to stand on its own as a passage about one thing " + "z".repeat(100),
                "- second item",
                "",
                "continues after a blank line because the first part was short"));
    assertThat(passages).hasSize(3);
    assertThat(passages.get(0).getKey()).isEqualTo("Title");
    assertThat(passages.get(1).getKey()).isEqualTo("Usage");
    assertThat(passages.get(1).getValue()).startsWith("short line - a list item that is long enough");
    assertThat(passages.get(2).getValue())
        .isEqualTo("- second item continues after a blank line because the first part was short");
    assertThat(passages).noneMatch(p -> p.getValue().contains("code that must not appear"));
  }

  @Test
  void writesOneValidJsonLinePerPassage() throws Exception {
    Path md = dir.resolve("guide.md");
    Files.writeString(md, "# A \"quoted\" title\n\nA paragraph with a backslash \\ and a tab\t" + "y".repeat(200) + "\n");
    Path out = dir.resolve("out.jsonl");
    assertThat(DocsCorpus.write(out, List.of(md))).isEqualTo(1);
    String line = Files.readAllLines(out).get(0);
    assertThat(line).startsWith("{\"id\":\"guide.md#1\",\"text\":\"A \\\"quoted\\\" title: A paragraph with a backslash \\\\ and a tab\\t");
    assertThat(line).endsWith("\"metadata\":{\"file\":\"guide.md\",\"section\":\"A \\\"quoted\\\" title\"}}");
  }
}
