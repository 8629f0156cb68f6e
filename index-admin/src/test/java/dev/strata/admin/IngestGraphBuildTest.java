package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.IndexOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest} of a bulk load builds the HNSW graph once, before its commit, so the load is one
 * snapshot searched through its graph; with {@code --skip-graph-build} it commits the load without
 * it, searched exhaustively, and the next writable open (here: another ingest) builds it.
 */
class IngestGraphBuildTest {
  private static final int RECORDS = IndexOptions.DEFAULT_BULK_LOAD_RECORDS + 1_500;

  @TempDir Path dir;

  @Test
  void aBulkIngestIsOneSnapshotWithItsGraph() throws Exception {
    String index = init("waited");
    CliRun ingest = CliRun.of("ingest", index, "--input", records("bulk", RECORDS, 1).toString(), "--json");
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    JsonNode report = ingest.json();
    assertThat(report.get("snapshot").get("id").asLong()).as("init's snapshot, then the load's").isEqualTo(2);
    assertThat(report.get("graphBuild").get("segmentsMerged").asInt()).as(ingest.toString()).isPositive();

    JsonNode stats = CliRun.of("stats", index, "--json").json();
    assertThat(stats.get("snapshot").get("id").asLong()).as("no second snapshot after the command").isEqualTo(2);
    assertThat(stats.get("segments").asInt()).isEqualTo(1);
    assertThat(stats.get("graphlessSegments").asInt()).isZero();
    assertThat(stats.get("graphBuildRunning").asBoolean()).isFalse();
    assertThat(stats.get("docs").asLong()).isEqualTo(RECORDS);

    CliRun search = CliRun.of("search", index, "--vector", "[1,0,0,0]", "--k", "3", "--explain", "--json");
    assertThat(search.exitCode()).as(search.toString()).isZero();
    assertThat(search.json().get("path").asText()).isEqualTo("graph");
    JsonNode explain = search.json().get("explain");
    assertThat(explain.get("segments").asInt()).isEqualTo(1);
    assertThat(explain.get("graphlessSegments").asInt()).isZero();
    assertThat(explain.get("ef").asInt()).isEqualTo(100);
    CliRun table = CliRun.of("search", index, "--vector", "[1,0,0,0]", "--k", "3", "--filter", "n>=0", "--explain");
    assertThat(table.out()).as(table.toString()).contains("path lucene_query").contains("filtered").contains("true");
  }

  @Test
  void skippedGraphBuildsAreLeftToTheNextWritableOpen() throws Exception {
    String index = init("skipped");
    CliRun ingest = CliRun.of("ingest", index, "--input", records("bulk", RECORDS, 2).toString(), "--skip-graph-build", "--json");
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    assertThat(ingest.json().get("graphBuild").isNull()).isTrue();
    assertThat(CliRun.of("stats", index, "--json").json().get("graphlessSegments").asInt()).isPositive();
    JsonNode explain = CliRun.of("search", index, "--vector", "[1,0,0,0]", "--explain", "--json").json().get("explain");
    assertThat(explain.get("graphlessSegments").asInt()).as("searched exhaustively, and said so").isPositive();

    CliRun small = CliRun.of("ingest", index, "--input", records("small", 10, 3).toString(), "--json");
    assertThat(small.exitCode()).as(small.toString()).isZero();
    // The open's build committed on its own, or rode along with the ingest's commit: either way it is in.
    assertThat(CliRun.of("stats", index, "--json").json().get("graphlessSegments").asInt()).as(small.toString()).isZero();
  }

  private String init(String name) {
    String index = dir.resolve(name).toString();
    CliRun init = CliRun.of("init", index, "--dim", "4", "--similarity", "cosine");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    return index;
  }

  private Path records(String name, int count, long seed) throws Exception {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(String.format(java.util.Locale.ROOT, "{\"id\":\"%s-%d\",\"vector\":[%.4f,%.4f,%.4f,%.4f],\"text\":\"passage %d\",\"metadata\":{\"n\":%d}}",
          name, i, random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), i, i));
    }
    Path file = dir.resolve(name + "-" + seed + ".jsonl");
    Files.write(file, lines);
    return file;
  }
}
