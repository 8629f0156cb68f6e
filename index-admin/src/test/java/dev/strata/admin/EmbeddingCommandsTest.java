package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with the real default model: text in, text queries, and the drift guard. */
class EmbeddingCommandsTest {
  @TempDir Path dir;

  private String index() {
    return dir.resolve("idx").toString();
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  private static final String[] DOCS = {
    "{\"id\":\"restore\",\"text\":\"Roll an index back to a tagged snapshot without copying data.\",\"metadata\":{\"topic\":\"ops\"}}",
    "{\"id\":\"bread\",\"text\":\"Sourdough bread rises slowly with a wild yeast starter.\",\"metadata\":{\"topic\":\"food\"}}",
    "{\"id\":\"hostile\",\"text\":\"DROP TABLE credits; --\"}",
    "{\"id\":\"with-vector\",\"text\":\"x\",\"vector\":[1,2]}",
    "{\"id\":\"no-text\"}"
  };

  @Test
  void textIngestTextSearchAndTheDriftGuard() throws Exception {
    CliRun init = CliRun.of("init", index(), "--model", "default", "--json");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(init.json().get("dimension").asInt()).isEqualTo(384);
    assertThat(init.json().get("modelFingerprint").asText()).startsWith("all-MiniLM-L6-v2-q@sha256:b28c8e39");

    Path input = write("texts.jsonl", DOCS);
    Path rejects = dir.resolve("rejects.jsonl");
    CliRun ingest = CliRun.of("ingest", index(), "--input", input.toString(), "--embed", "--rejects", rejects.toString(), "--json");
    assertThat(ingest.exitCode()).as(ingest.toString()).isEqualTo(ExitCodes.REJECTED);
    assertThat(ingest.json().get("accepted").asInt()).isEqualTo(3);
    assertThat(Files.readAllLines(rejects)).hasSize(2).anySatisfy(l -> assertThat(l).contains("text only")).anySatisfy(l -> assertThat(l).contains("missing \\\"text\\\""));

    CliRun search = CliRun.of("search", index(), "--text", "how do I go back to an older snapshot?", "-k", "1", "--json");
    assertThat(search.exitCode()).as(search.toString()).isZero();
    assertThat(search.json().at("/hits/0/id").asText()).isEqualTo("restore");
    CliRun hostile = CliRun.of("search", index(), "--text", "DROP TABLE credits", "-k", "1", "--json");
    assertThat(hostile.json().at("/hits/0/text").asText()).isEqualTo("DROP TABLE credits; --");

    CliRun keywords = CliRun.of("search", index(), "--text", "sourdough starters", "--bm25", "--json");
    assertThat(keywords.exitCode()).as(keywords.toString()).isZero();
    assertThat(keywords.json().get("hits")).hasSize(1);
    assertThat(keywords.json().at("/hits/0/id").asText()).as("stemmed: starters matches starter").isEqualTo("bread");
    CliRun hybrid = CliRun.of("search", index(), "--text", "roll back to a snapshot", "--hybrid", "--exact", "--json");
    assertThat(hybrid.exitCode()).as(hybrid.toString()).isZero();
    assertThat(hybrid.json().at("/hits/0/id").asText()).isEqualTo("restore");
    assertThat(hybrid.json().at("/hits/0/score").asDouble()).as("in both lists, first in each").isEqualTo(2.0 / 61, within(1e-6));
    CliRun noText = CliRun.of("search", index(), "--vector", "[1,2]", "--hybrid");
    assertThat(noText.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noText.err()).contains("--hybrid needs --text");

    CliRun drift = CliRun.of("drift", index(), "--model", "default-fp32");
    assertThat(drift.exitCode()).as(drift.toString()).isEqualTo(ExitCodes.INDEX);
    assertThat(drift.out()).contains("all-MiniLM-L6-v2-q@sha256:", "all-MiniLM-L6-v2@sha256:", "DRIFT");
    assertThat(CliRun.of("drift", index(), "--model", "default").exitCode()).isZero();

    CliRun wrongModelSearch = CliRun.of("search", index(), "--text", "snapshots", "--model", "default-fp32");
    assertThat(wrongModelSearch.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(wrongModelSearch.err()).contains("refused", "all-MiniLM-L6-v2 (sha256:a3c22b642a13)");
    CliRun wrongModelIngest = CliRun.of("ingest", index(), "--input", input.toString(), "--embed", "--model", "default-fp32");
    assertThat(wrongModelIngest.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(CliRun.of("stats", index(), "--json").json().get("docs").asInt()).isEqualTo(3);
  }

  /** The runbook on a model's index: text queries measure what a bad upload did to answers. */
  @Test
  void aDiffOfAModelIndexMeasuresTextQueriesAndARevertTakesTheUploadBack() throws Exception {
    assertThat(CliRun.of("init", index(), "--model", "default").exitCode()).isZero();
    assertThat(CliRun.of("ingest", index(), "--input", write("docs.jsonl", DOCS[0], DOCS[1]).toString(), "--embed")
        .exitCode()).isZero();
    Path bad = write("bad.jsonl", "{\"id\":\"bad\",\"text\":\"To roll an index back, delete every snapshot first.\"}");
    assertThat(CliRun.of("ingest", index(), "--input", bad.toString(), "--embed", "--source", "test-upload").exitCode())
        .isZero();
    Path queries = write("queries.jsonl", "{\"id\":\"q1\",\"text\":\"how do I roll back an index?\"}");

    CliRun diff = CliRun.of("snapshot", "diff", index(), "2", "3", "--queries", queries.toString(), "-k", "1", "--json");
    assertThat(diff.exitCode()).as(diff.toString()).isZero();
    assertThat(diff.json().at("/bySource/test-upload/added").asInt()).isEqualTo(1);
    assertThat(diff.json().at("/retrieval/mostChanged/0/before/0").asText()).isEqualTo("restore");
    assertThat(diff.json().at("/retrieval/mostChanged/0/after/0").asText()).as("the upload took the answer").isEqualTo("bad");

    assertThat(CliRun.of("snapshot", "revert", index(), "3", "--apply").exitCode()).isZero();
    CliRun after = CliRun.of("search", index(), "--text", "how do I roll back an index?", "-k", "1", "--provenance", "--json");
    assertThat(after.json().at("/hits/0/id").asText()).isEqualTo("restore");
    assertThat(after.json().at("/hits/0/provenance/source").asText()).isEqualTo("docs.jsonl");
    assertThat(after.json().at("/hits/0/provenance/model").asText()).startsWith("all-MiniLM-L6-v2-q@sha256:");
  }

  @Test
  void embedWritesVectorRecordsThatIngestTakesWithTheirFingerprint() throws Exception {
    assertThat(CliRun.of("init", index(), "--model", "default").exitCode()).isZero();
    Path texts = write("texts.jsonl", DOCS[0], DOCS[1]);
    Path vectors = dir.resolve("vectors.jsonl");
    CliRun embed = CliRun.of("embed", "--model", "default", "--input", texts.toString(), "--out", vectors.toString());
    assertThat(embed.exitCode()).as(embed.toString()).isZero();
    assertThat(embed.err()).contains("embedding [", "2/2");
    List<String> lines = Files.readAllLines(vectors);
    assertThat(lines).hasSize(2);
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertThat(first.get("vector")).hasSize(384);
    assertThat(first.get("text").asText()).startsWith("Roll an index back");

    CliRun unstated = CliRun.of("ingest", index(), "--input", vectors.toString());
    assertThat(unstated.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(unstated.err()).contains("state the model that made them");

    String fingerprint = CliRun.of("stats", index(), "--json").json().get("modelFingerprint").asText();
    CliRun stated = CliRun.of("ingest", index(), "--input", vectors.toString(), "--model-fingerprint", fingerprint);
    assertThat(stated.exitCode()).as(stated.toString()).isZero();
    assertThat(CliRun.of("stats", index(), "--json").json().get("docs").asInt()).isEqualTo(2);
  }

  @Test
  void rebuildWithAnotherModelReembedsTheTextsAndMovesTheAlias() throws Exception {
    assertThat(CliRun.of("init", index(), "--model", "default").exitCode()).isZero();
    Path input = write("docs.jsonl", DOCS[0], DOCS[1], DOCS[2]);
    assertThat(CliRun.of("ingest", index(), "--input", input.toString(), "--embed").exitCode()).isZero();
    String alias = dir.resolve("docs.alias").toString();
    assertThat(CliRun.of("alias", "set", alias, index()).exitCode()).isZero();
    Path golden = write("golden.jsonl",
        "{\"id\":\"q1\",\"text\":\"how do I go back to an older snapshot?\"}",
        "{\"id\":\"q2\",\"text\":\"baking bread at home\"}");

    // A golden set no re-embedding can meet (top-1 scores must not move at all): the rebuild is
    // complete, but the gate, run with the new model's embedder on the golden texts, keeps the alias.
    CliRun strict = CliRun.of("golden", "capture", index(), "--queries", golden.toString(), "-k", "1", "--max-score-shift", "0");
    assertThat(strict.exitCode()).as(strict.toString()).isZero();
    CliRun blocked = CliRun.of("rebuild", index(), "--out", dir.resolve("rejected").toString(), "--model", "default-fp32",
        "--alias", alias);
    assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(ExitCodes.REGRESSION);
    assertThat(blocked.err()).contains("was not moved", "mean top-1 score moved");
    assertThat(CliRun.of("alias", "show", alias, "--json").json().get("index").asText()).isEqualTo(index());

    assertThat(CliRun.of("golden", "capture", index(), "--queries", golden.toString(), "-k", "1").exitCode()).isZero();
    String green = dir.resolve("green").toString();
    CliRun rebuild = CliRun.of("rebuild", index(), "--out", green, "--model", "default-fp32", "--alias", alias, "--json");
    assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
    assertThat(rebuild.json().get("reembedded").asBoolean()).isTrue();
    String fp32 = CliRun.of("stats", green, "--json").json().get("modelFingerprint").asText();
    assertThat(fp32).isNotEqualTo(CliRun.of("stats", index(), "--json").json().get("modelFingerprint").asText());
    assertThat(CliRun.of("alias", "show", alias, "--json").json().get("modelFingerprint").asText()).isEqualTo(fp32);

    CliRun search = CliRun.of("search", green, "--text", "how do I go back to an older snapshot?", "-k", "1", "--json");
    assertThat(search.exitCode()).as(search.toString()).isZero();
    assertThat(search.json().get("hits").get(0).get("id").asText()).isEqualTo("restore");
    assertThat(CliRun.of("drift", green, "--model", "default").exitCode()).isEqualTo(ExitCodes.INDEX);
    CliRun check = CliRun.of("golden", "check", green, "--golden-from", index(), "--json");
    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.json().get("reembedded").asBoolean()).as("fp32 index, int8 golden set: texts embedded again").isTrue();
    assertThat(check.json().get("recall").asDouble()).isEqualTo(1.0);
  }
}
