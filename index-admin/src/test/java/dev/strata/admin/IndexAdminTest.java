package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.IndexOptions;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in a temp directory, on a real index. */
class IndexAdminTest {
  @TempDir Path dir;

  private String index() {
    return dir.resolve("idx").toString();
  }

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  private void init() {
    CliRun init = run("init", index(), "--dim", "3", "--similarity", "cosine");
    assertThat(init.exitCode()).as(init.toString()).isZero();
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void initIngestSearchStatsDelete() throws Exception {
    CliRun init = run("init", index(), "--dim", "3", "--similarity", "cosine", "--json");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(init.json().get("dimension").asInt()).isEqualTo(3);

    Path input =
        write(
            "in.jsonl",
            "{\"id\":\"a\",\"vector\":[1,0,0],\"text\":\"alpha\",\"metadata\":{\"color\":\"red\",\"year\":2020}}",
            "{\"id\":\"b\",\"vector\":[0,1,0],\"text\":\"beta\",\"metadata\":{\"color\":\"blue\",\"year\":2024}}",
            "{\"id\":\"c\",\"vector\":[0.9,0.1,0],\"text\":\"gamma\",\"metadata\":{\"color\":\"blue\",\"year\":2021}}");
    CliRun ingest = run("ingest", index(), "--input", input.toString(), "--message", "first", "--json");
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    assertThat(ingest.json().get("accepted").asInt()).isEqualTo(3);
    assertThat(ingest.json().at("/snapshot/message").asText()).isEqualTo("first");
    String expectedSha = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(input)));
    assertThat(ingest.json().at("/snapshot/sourceSha256").asText()).isEqualTo(expectedSha);

    CliRun search = run("search", index(), "--vector", "[1,0,0]", "-k", "2", "--json");
    assertThat(search.exitCode()).as(search.toString()).isZero();
    JsonNode result = search.json();
    assertThat(result.get("snapshot").asLong()).isEqualTo(2);
    assertThat(result.get("tookMs").isNumber()).isTrue();
    assertThat(result.get("hits")).hasSize(2);
    assertThat(result.at("/hits/0/id").asText()).isEqualTo("a");
    assertThat(result.at("/hits/0/text").asText()).isEqualTo("alpha");
    assertThat(result.at("/hits/0/metadata/color").asText()).isEqualTo("red");
    assertThat(result.at("/hits/0/score").asDouble()).isGreaterThan(result.at("/hits/1/score").asDouble());
    assertThat(result.get("timedOut").asBoolean()).isFalse();
    // 1 ms is gone before the search starts (opening the index takes longer): answered, flagged, exit 0.
    CliRun late = run("search", index(), "--vector", "[1,0,0]", "-k", "2", "--timeout", "1", "--json");
    assertThat(late.exitCode()).as(late.toString()).isZero();
    assertThat(late.json().get("timedOut").asBoolean()).isTrue();
    assertThat(late.json().get("hits")).isEmpty();

    CliRun idsOnly = run("search", index(), "--vector", "[1,0,0]", "-k", "2", "--ids-only", "--json");
    assertThat(idsOnly.exitCode()).as(idsOnly.toString()).isZero();
    assertThat(idsOnly.json().at("/hits/0/id").asText()).isEqualTo("a");
    assertThat(idsOnly.json().at("/hits/1/score").asDouble()).isEqualTo(result.at("/hits/1/score").asDouble());
    assertThat(idsOnly.json().at("/hits/0/text").isNull()).as("no stored text read").isTrue();
    assertThat(idsOnly.json().at("/hits/0/metadata")).isEmpty();

    CliRun filtered =
        run("search", index(), "--vector", "[1,0,0]", "--filter", "color=blue", "--filter", "year>=2022", "--json");
    assertThat(filtered.exitCode()).as(filtered.toString()).isZero();
    assertThat(filtered.json().get("hits")).hasSize(1);
    assertThat(filtered.json().at("/hits/0/id").asText()).isEqualTo("b");

    Path queryFile = write("query.json", "[1, 0, 0]");
    CliRun table = run("search", index(), "--vector-file", queryFile.toString());
    assertThat(table.out()).contains("rank", "alpha", "snapshot 2, 3 hits", "year=2020");
    assertThat(result.at("/hits/0/metadata/year").isIntegralNumber()).isTrue();

    CliRun stats = run("stats", index(), "--json");
    assertThat(stats.exitCode()).as(stats.toString()).isZero();
    JsonNode s = stats.json();
    for (String field :
        List.of("docs", "deletedDocs", "segments", "bytes", "dimension", "similarity", "encoding", "modelFingerprint", "snapshot")) {
      assertThat(s.has(field)).as("stats has %s", field).isTrue();
    }
    assertThat(s.get("docs").asInt()).isEqualTo(3);
    assertThat(s.get("similarity").asText()).isEqualTo("cosine");
    assertThat(s.at("/snapshot/id").asInt()).isEqualTo(2);

    CliRun delete = run("delete", index(), "--id", "a", "nope", "--json");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.json().get("deleted").asInt()).isEqualTo(1);
    assertThat(delete.json().get("unknownIds").get(0).asText()).isEqualTo("nope");
    assertThat(run("stats", index(), "--json").json().get("docs").asInt()).isEqualTo(2);
  }

  @Test
  void ingestReportsEachBadLineAndKeepsTheGoodOnes() throws Exception {
    init();
    Path input =
        write(
            "mixed.jsonl",
            "{\"id\":\"ok1\",\"vector\":[1,0,0]}",
            "{broken json",
            "{\"id\":\"short\",\"vector\":[1,0]}",
            "",
            "{\"id\":\"zero\",\"vector\":[0,0,0]}",
            "{\"id\":\"huge\",\"vector\":[1e300,0,0]}",
            "{\"vector\":[1,0,0]}",
            "{\"id\":\"typo\",\"vector\":[1,0,0],\"txt\":\"x\"}",
            "{\"id\":\"ok2\",\"vector\":[0,1,0],\"metadata\":{\"flag\":true}}",
            "{\"id\":\"ok3\",\"vector\":[0,0,1]}");
    Path rejects = dir.resolve("rejects.jsonl");
    CliRun ingest = run("ingest", index(), "--input", input.toString(), "--rejects", rejects.toString());

    assertThat(ingest.exitCode()).as(ingest.toString()).isEqualTo(ExitCodes.REJECTED);
    assertThat(ingest.out()).contains("ingested 2 records, rejected 7");
    List<JsonNode> lines =
        Files.readAllLines(rejects).stream().map(l -> {
          try {
            return Json.MAPPER.readTree(l);
          } catch (Exception e) {
            throw new AssertionError(l, e);
          }
        }).toList();
    assertThat(lines).extracting(n -> n.get("line").asInt()).containsExactly(2, 3, 5, 6, 7, 8, 9);
    assertThat(lines.get(0).get("reason").asText()).startsWith("invalid JSON");
    assertThat(lines.get(0).has("id")).isFalse();
    assertThat(lines.get(1).get("id").asText()).isEqualTo("short");
    assertThat(lines.get(1).get("rule").asText()).isEqualTo("DIMENSION_MISMATCH");
    assertThat(lines.get(2).get("rule").asText()).isEqualTo("ZERO_VECTOR");
    assertThat(lines.get(3).get("rule").asText()).isEqualTo("NON_FINITE_VALUE");
    assertThat(lines.get(4).get("reason").asText()).isEqualTo("missing \"id\"");
    assertThat(lines.get(5).get("reason").asText()).contains("unknown field \"txt\"");
    assertThat(lines.get(6).get("rule").asText()).isEqualTo("METADATA_VALUE_TYPE");

    try (VectorIndex index = VectorIndex.open(dir.resolve("idx"), IndexOptions.builder().readOnly(true).build())) {
      assertThat(index.stats().docs()).isEqualTo(2);
      assertThat(index.contains("ok1")).isTrue();
      assertThat(index.contains("ok3")).isTrue();
      assertThat(index.contains("short")).isFalse();
    }
  }

  @Test
  void rejectsGoToStderrWithoutARejectsFileAndAnAllBadInputCommitsNothing() throws Exception {
    init();
    Path input = write("bad.jsonl", "{\"id\":\"x\",\"vector\":[1]}");
    CliRun ingest = run("ingest", index(), "--input", input.toString());
    assertThat(ingest.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(ingest.err()).contains("\"line\":1", "DIMENSION_MISMATCH");
    assertThat(ingest.out()).contains("nothing committed");
    assertThat(run("stats", index(), "--json").json().at("/snapshot/id").asInt()).isEqualTo(1);
  }

  @Test
  void numbersAreDecimalAndIntegersBeyondTwoToTheFiftyThirdAreRefusedNotRounded() throws Exception {
    init();
    Path csv = write("numbers.csv", "id,vector,n:number",
        "ok,1 0 0,12", "big,1 0 0,9007199254740993", "hex,1 0 0,0x10", "nan,1 0 0,NaN", "suffix,1 0 0,1d", "exp,0 1 0,-2.5e3",
        "bigfraction,1 0 0,9007199254740993.0", "bigexp,1 0 0,9.007199254740993e15", "even,1 0 1,9007199254740994.0",
        "hexvector,0x1p3 0 0,1", "fvector,1f 0 0,1", "dvector,0d 1 0,1");
    Path jsonl = write("numbers.jsonl", "{\"id\":\"json-big\",\"vector\":[1,0,0],\"metadata\":{\"n\":9007199254740993}}",
        "{\"id\":\"json-bigfraction\",\"vector\":[1,0,0],\"metadata\":{\"n\":9007199254740993.0}}",
        "{\"id\":\"json-bigexp\",\"vector\":[1,0,0],\"metadata\":{\"n\":9.007199254740993e15}}",
        "{\"id\":\"json-tenth\",\"vector\":[0,0,1],\"metadata\":{\"n\":0.1}}");
    Path rejects = dir.resolve("rejects.jsonl");
    CliRun fromCsv = run("ingest", index(), "--input", csv.toString(), "--rejects", rejects.toString());
    assertThat(fromCsv.exitCode()).as(fromCsv.toString()).isEqualTo(ExitCodes.REJECTED);
    Map<String, String> rules = new java.util.HashMap<>();
    for (String line : Files.readAllLines(rejects)) {
      JsonNode reject = Json.MAPPER.readTree(line);
      rules.put(reject.path("id").asText(), reject.path("rule").asText());
    }
    assertThat(rules).containsOnly(Map.entry("big", "METADATA_VALUE_TYPE"), Map.entry("hex", "MALFORMED"),
        Map.entry("nan", "MALFORMED"), Map.entry("suffix", "MALFORMED"), Map.entry("bigfraction", "METADATA_VALUE_TYPE"),
        Map.entry("bigexp", "METADATA_VALUE_TYPE"), Map.entry("hexvector", "MALFORMED"), Map.entry("fvector", "MALFORMED"),
        Map.entry("dvector", "MALFORMED"));
    CliRun fromJsonl = run("ingest", index(), "--input", jsonl.toString());
    assertThat(fromJsonl.err()).contains("\"json-big\"", "json-bigfraction", "json-bigexp", "METADATA_VALUE_TYPE")
        .doesNotContain("json-tenth");
    for (String filter : List.of("n=9007199254740993", "n>=9007199254740993", "n<9.007199254740993e15")) {
      CliRun search = run("search", index(), "--vector", "[1,0,0]", "--filter", filter);
      assertThat(search.exitCode()).as(filter + ": " + search).isEqualTo(ExitCodes.USAGE);
      assertThat(search.err()).as(filter).contains("beyond 2^53");
    }
    CliRun exactFilter = run("search", index(), "--vector", "[1,0,1]", "--filter", "n=9007199254740994", "--json");
    assertThat(exactFilter.exitCode()).as(exactFilter.toString()).isZero();
    assertThat(exactFilter.out()).contains("\"even\"");
    try (VectorIndex index = VectorIndex.open(Path.of(index()), IndexOptions.builder().readOnly(true).build())) {
      assertThat(index.get("ok").orElseThrow().metadata()).containsEntry("n", 12.0);
      assertThat(index.get("exp").orElseThrow().metadata()).containsEntry("n", -2500.0);
      assertThat(index.contains("big")).isFalse();
      assertThat(index.contains("bigfraction")).isFalse();
      assertThat(index.get("even").orElseThrow().metadata()).containsEntry("n", 9007199254740994.0);
      assertThat(index.get("json-tenth").orElseThrow().metadata()).containsEntry("n", 0.1);
    }
  }

  @Test
  void aQueryVectorWithAnythingAfterItIsRefused() {
    init();
    for (String vector : List.of("[1,0,0] x", "[1,0,0][0,1,0]", "[1,0,0],")) {
      CliRun search = run("search", index(), "--vector", vector);
      assertThat(search.exitCode()).as(vector).isEqualTo(ExitCodes.USAGE);
      assertThat(search.err()).as(vector).contains("query vector is not valid JSON");
    }
  }

  @Test
  void noOutputFileMayBeAnInputFile() throws Exception {
    init();
    String good = "{\"id\":\"a\",\"vector\":[1,0,0]}";
    Path input = write("in.jsonl", good);
    Path link = dir.resolve("in-link.jsonl");
    Files.createSymbolicLink(link, input);
    for (Path rejects : List.of(input, link, dir.resolve("sub/../in.jsonl"))) {
      CliRun ingest = run("ingest", index(), "--input", input.toString(), "--rejects", rejects.toString());
      assertThat(ingest.exitCode()).as(ingest.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(ingest.err()).contains("--rejects", "is the same file as --input");
    }
    assertThat(Files.readAllLines(input)).as("the input is untouched").containsExactly(good);
    CliRun embed = run("embed", "--input", input.toString(), "--out", input.toString());
    assertThat(embed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Files.readAllLines(input)).containsExactly(good);
    CliRun export = run("export", index(), "--out", Path.of(index(), "archive.tar.zst").toString());
    assertThat(export.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(export.err()).contains("inside the index directory");
  }

  @Test
  void errorsAreMessagesWithExitCodesNotStackTraces() throws Exception {
    CliRun missing = run("stats", dir.resolve("missing").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(missing.err()).startsWith("error: no Strata index at").doesNotContain("\tat ");

    init();
    CliRun again = run("init", index(), "--dim", "3", "--similarity", "cosine");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(again.err()).contains("an index exists there");

    CliRun badSimilarity = run("init", dir.resolve("other").toString(), "--dim", "3", "--similarity", "manhattan");
    assertThat(badSimilarity.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badSimilarity.err()).contains("unknown similarity 'manhattan'");

    CliRun badVector = run("search", index(), "--vector", "[1,0]");
    assertThat(badVector.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badVector.err()).contains("expected dimension 3, got 2");

    CliRun notJson = run("search", index(), "--vector", "1,0,0");
    assertThat(notJson.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun badFilter = run("search", index(), "--vector", "[1,0,0]", "--filter", "colour=red");
    assertThat(badFilter.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFilter.err()).contains("unknown metadata field 'colour'");

    Path latin1 = dir.resolve("latin1.jsonl");
    Files.write(latin1, "{\"id\":\"caf\u00e9\",\"vector\":[1,0,0]}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    CliRun notUtf8 = run("ingest", index(), "--input", latin1.toString());
    assertThat(notUtf8.exitCode()).as("a line that is not UTF-8 is rejected, not the file").isEqualTo(ExitCodes.REJECTED);
    assertThat(notUtf8.err()).contains("\"line\":1", "not valid UTF-8 at byte offset 10", "MALFORMED");

    CliRun noInput = run("ingest", index(), "--input", dir.resolve("none.jsonl").toString());
    assertThat(noInput.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noInput.err()).contains("input file not found");

    CliRun missingOption = run("init", dir.resolve("x").toString());
    assertThat(missingOption.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missingOption.err()).contains("give --dim and --similarity, or --model");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("init", "ingest", "delete", "search", "stats")) {
      CliRun help = run(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: index-admin " + command);
    }
    assertThat(run("--help").out()).contains("Exit codes:", "init", "ingest", "search");
  }

  @Test
  void deleteReadsIdsFromAFile() throws Exception {
    init();
    Path input = write("in.jsonl", "{\"id\":\"a\",\"vector\":[1,0,0]}", "{\"id\":\"b\",\"vector\":[0,1,0]}");
    assertThat(run("ingest", index(), "--input", input.toString()).exitCode()).isZero();
    Path ids = write("ids.txt", "a", "", "  b  ", "c");
    CliRun delete = run("delete", index(), "--ids-file", ids.toString(), "--message", "cleanup");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).contains("deleted 2 records", "1 ids not in the index: c");
    JsonNode stats = run("stats", index(), "--json").json();
    assertThat(stats.get("docs").asInt()).isZero();
    assertThat(stats.at("/snapshot/message").asText()).isEqualTo("cleanup");
  }

  @Test
  void keywordSearchNeedsAnIndexWithFullTextAndSaysSoWhenItHasNone() throws Exception {
    assertThat(run("init", index(), "--dim", "3", "--similarity", "cosine", "--no-full-text").exitCode()).isZero();
    Path input = write("in.jsonl", "{\"id\":\"a\",\"vector\":[1,0,0],\"text\":\"sourdough bread\"}");
    assertThat(run("ingest", index(), "--input", input.toString()).exitCode()).isZero();
    assertThat(run("stats", index(), "--json").json().get("fullText").asBoolean()).isFalse();
    CliRun bm25 = run("search", index(), "--text", "bread", "--bm25");
    assertThat(bm25.exitCode()).isEqualTo(ExitCodes.INDEX);
    assertThat(bm25.err()).doesNotContain("\tat ");
    assertThat(bm25.err()).contains("schema.fullText=false", "rebuild it");
    CliRun exact = run("search", index(), "--vector", "[1,0,0]", "--exact", "--json");
    assertThat(exact.exitCode()).as(exact.toString()).isZero();
    assertThat(exact.json().at("/hits/0/id").asText()).isEqualTo("a");
  }
}
