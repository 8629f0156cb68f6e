package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index-admin eval} on a small BEIR-layout dataset written by the test (the real SciFact
 * numbers are in docs/QUALITY.md; a fresh clone has no ../shared data).
 */
class EvalCommandTest {
  @TempDir Path dir;

  @Test
  void bm25AndDenseAndHybridFindTheOneRelevantPassagePerQuery() throws IOException {
    Path dataset = writeDataset();
    Path cache = dir.resolve("cache");
    for (String mode : List.of("bm25", "dense", "hybrid")) {
      CliRun run = mode.equals("bm25")
          ? CliRun.of("eval", dataset.toString(), "--mode", mode, "--json")
          : CliRun.of("eval", dataset.toString(), "--mode", mode, "--cache-dir", cache.toString(), "--json");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode json = run.json();
      assertThat(json.get("mode").asText()).isEqualTo(mode);
      assertThat(json.get("queries").asInt()).as("the unjudged query is not evaluated").isEqualTo(3);
      assertThat(json.get("ndcg@10").asDouble()).as(mode + ": " + json).isGreaterThan(0.9);
      assertThat(json.get("recall@100").asDouble()).isEqualTo(1.0);
      assertThat(json.has("mrr@10") && json.has("recall@10") && json.has("encoding")).isTrue();
      if (!mode.equals("bm25")) {
        assertThat(json.get("modelFingerprint").asText()).startsWith("all-MiniLM-L6-v2");
        assertThat(json.get("embeddingsCached").asBoolean()).as("second embedding run reads the cache")
            .isEqualTo(mode.equals("hybrid"));
      }
    }
  }

  @Test
  void exactAndQuantizedDenseRunsReportTheirSettings() throws IOException {
    Path dataset = writeDataset();
    CliRun run = CliRun.of("eval", dataset.toString(), "--exact", "--encoding", "int8", "--no-cache", "--json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().get("exact").asBoolean()).isTrue();
    assertThat(run.json().get("encoding").asText()).isEqualTo("int8");
    assertThat(Files.exists(dir.resolve("cache"))).isFalse();
  }

  @Test
  void aDirectoryThatIsNotADatasetIsAUsageErrorNamingTheMissingFile() {
    CliRun run = CliRun.of("eval", dir.toString(), "--mode", "bm25");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("not a BEIR dataset").contains("corpus.jsonl");
  }

  @Test
  void malformedJudgementsNameTheFileAndLine() throws IOException {
    Path dataset = writeDataset();
    Files.writeString(dataset.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\nq1\td1\r\n");
    CliRun run = CliRun.of("eval", dataset.toString(), "--mode", "bm25");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("test.tsv line 2").contains("expected query-id, corpus-id, score");
  }

  private Path writeDataset() throws IOException {
    Path dataset = dir.resolve("tiny");
    Files.createDirectories(dataset.resolve("qrels"));
    Files.writeString(dataset.resolve("corpus.jsonl"), String.join("\n",
        doc("d1", "Volcanoes", "Magma rises through the crust and erupts as lava from volcanoes."),
        doc("d2", "Photosynthesis", "Plants turn sunlight, water and carbon dioxide into sugar and oxygen."),
        doc("d3", "Tides", "The gravity of the moon pulls the oceans and causes the tides."),
        doc("d4", "Bread", "Yeast ferments sugar in dough, and the gas makes bread rise."),
        doc("d5", "", "Honeybees dance to tell the hive where flowers are.")) + "\n", StandardCharsets.UTF_8);
    Files.writeString(dataset.resolve("queries.jsonl"), String.join("\n",
        "{\"_id\": \"q1\", \"text\": \"why does lava erupt from volcanoes\"}",
        "{\"_id\": \"q2\", \"text\": \"how do plants make sugar from sunlight\"}",
        "{\"_id\": \"q3\", \"text\": \"what does the moon do to the oceans tides\"}",
        "{\"_id\": \"q4\", \"text\": \"unjudged query about bread\"}") + "\n", StandardCharsets.UTF_8);
    // CRLF line endings and a header, as the BEIR files have
    Files.writeString(dataset.resolve("qrels/test.tsv"),
        "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t1\r\nq3\td3\t2\r\nq3\td5\t0\r\n", StandardCharsets.UTF_8);
    return dataset;
  }

  private static String doc(String id, String title, String text) {
    return "{\"_id\": \"" + id + "\", \"title\": \"" + title + "\", \"text\": \"" + text + "\", \"metadata\": {}}";
  }
}
