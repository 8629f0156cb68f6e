package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactCommandTest {
  @TempDir Path dir;

  @Test
  void statsShowTheDeletedRatioAndCompactReclaimsIt() throws Exception {
    String index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "3", "--similarity", "euclidean").exitCode()).isZero();
    for (int part = 0; part < 3; part++) {
      List<String> lines = new ArrayList<>();
      for (int i = part * 400; i < (part + 1) * 400; i++) {
        lines.add("{\"id\":\"r" + i + "\",\"vector\":[" + i + "," + (i % 7) + ",1]}");
      }
      Path file = dir.resolve("part" + part + ".jsonl");
      Files.write(file, lines);
      assertThat(CliRun.of("ingest", index, "--input", file.toString()).exitCode()).isZero();
    }
    List<String> doomed = new ArrayList<>();
    // Under the 20% that Lucene's merge policy reclaims by itself at commits, so the deletions stay.
    for (int i = 0; i < 1200; i += 8) {
      doomed.add("r" + i);
    }
    Path ids = dir.resolve("ids.txt");
    Files.write(ids, doomed);
    assertThat(CliRun.of("delete", index, "--ids-file", ids.toString()).exitCode()).isZero();

    JsonNode stats = CliRun.of("stats", index, "--json").json();
    assertThat(stats.get("deletedRatio").asDouble()).isEqualTo(0.125);
    assertThat(stats.get("segments").asInt()).isGreaterThan(1);
    assertThat(stats.get("snapshotPinnedBytes").size()).isEqualTo(5);
    String digest = stats.get("snapshot").get("recordDigest").asText();

    CliRun plan = CliRun.of("compact", index, "--dry-run", "--json");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.json().get("dryRun").asBoolean()).isTrue();
    assertThat(plan.json().get("triggers")).as("0.125 is under the default policy's 0.2").isEmpty();
    assertThat(plan.json().get("actions").toString()).contains("expunge deletes", "merge to at most 4 segments");
    assertThat(CliRun.of("stats", index, "--json").json().get("deletedDocs").asInt()).as("a dry run changes nothing").isEqualTo(150);

    CliRun compact = CliRun.of("compact", index, "--expunge-deletes", "--json");
    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    JsonNode report = compact.json();
    assertThat(report.get("deletedDocsBefore").asInt()).isEqualTo(150);
    assertThat(report.get("deletedDocsAfter").asInt()).isZero();
    assertThat(report.get("bytesWritten").asLong()).isPositive();
    assertThat(report.get("snapshotsPruned").asInt()).as("no --prune").isZero();
    assertThat(report.get("snapshot").get("recordDigest").asText()).isEqualTo(digest);
    assertThat(CliRun.of("snapshot", "list", index, "--json").json()).hasSize(6);

    CliRun merged = CliRun.of("compact", index, "--max-segments", "1", "--prune", "--keep", "2");
    assertThat(merged.exitCode()).as(merged.toString()).isZero();
    assertThat(merged.out()).as("six kept, the compaction's own added, two left")
        .contains("segments", "-> 1", "5 snapshots pruned");
    JsonNode after = CliRun.of("stats", index, "--json").json();
    assertThat(after.get("segments").asInt()).isEqualTo(1);
    assertThat(CliRun.of("snapshot", "list", index, "--json").json()).hasSize(2);
    // Lifetime counters outlive the pruned snapshots and every process that ran a command.
    JsonNode counters = after.get("counters");
    assertThat(counters.get("recordsUpserted").asLong()).isEqualTo(1200);
    assertThat(counters.get("deleteRequests").asLong()).isEqualTo(150);
    assertThat(counters.get("compactions").asLong()).isEqualTo(2);
    assertThat(counters.get("commits").asLong()).as("init, 3 ingests, delete, 2 compactions").isEqualTo(7);
    assertThat(counters.get("compactionBytesWritten").asLong())
        .as("both compactions' bytes (the second may have nothing left to merge)").isGreaterThanOrEqualTo(report.get("bytesWritten").asLong());

    assertThat(CliRun.of("compact", index, "--max-segments", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("compact", dir.resolve("none").toString()).exitCode()).isEqualTo(ExitCodes.INDEX);
  }
}
