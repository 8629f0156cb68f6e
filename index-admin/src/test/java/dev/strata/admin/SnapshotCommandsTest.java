package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCommandsTest {
  @TempDir Path dir;

  private String index() {
    return dir.resolve("idx").toString();
  }

  private void ingest(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    CliRun run = CliRun.of("ingest", index(), "--input", file.toString(), "--message", name);
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  /** The runbook's path: a bad batch went in; find it, measure it, take it back. */
  @Test
  void aBadUploadIsFoundByItsSourceMeasuredAndDeleted() throws Exception {
    assertThat(CliRun.of("init", index(), "--dim", "2", "--similarity", "euclidean").exitCode()).isZero();
    ingest("tickets.jsonl", "{\"id\":\"t1\",\"vector\":[0,0]}", "{\"id\":\"t2\",\"vector\":[1,0]}");
    Path bad = Files.write(dir.resolve("upload.jsonl"), List.of("{\"id\":\"f1\",\"vector\":[0,1]}",
        "{\"id\":\"t2\",\"vector\":[0,2]}", "{\"id\":\"f2\",\"vector\":[0,3],\"source\":\"partner-feed\"}"));
    CliRun upload = CliRun.of("ingest", index(), "--input", bad.toString(), "--source", "fraud-test-set");
    assertThat(upload.exitCode()).as(upload.toString()).isZero();

    JsonNode stats = CliRun.of("stats", index(), "--json").json();
    assertThat(stats.at("/sources/fraud-test-set").asLong()).isEqualTo(2);
    assertThat(stats.at("/sources/tickets.jsonl").asLong()).as("the file name by default").isEqualTo(1);
    assertThat(stats.at("/sources/partner-feed").asLong()).as("a line's own label wins").isEqualTo(1);
    JsonNode hits = CliRun.of("search", index(), "--vector", "[0,2]", "-k", "1", "--provenance", "--json").json();
    assertThat(hits.at("/hits/0/id").asText()).isEqualTo("t2");
    assertThat(hits.at("/hits/0/provenance/source").asText()).isEqualTo("fraud-test-set");
    assertThat(hits.at("/hits/0/provenance/writtenIn").asLong()).isEqualTo(3);
    JsonNode diff = CliRun.of("snapshot", "diff", index(), "2", "3", "--json").json();
    assertThat(diff.at("/bySource/fraud-test-set/added").asLong()).isEqualTo(1);
    assertThat(diff.at("/bySource/fraud-test-set/changed").asLong()).isEqualTo(1);

    CliRun dry = CliRun.of("delete", index(), "--source", "fraud-test-set", "--json");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.json().get("matched").asLong()).isEqualTo(2);
    assertThat(dry.json().get("applied").asBoolean()).isFalse();
    assertThat(CliRun.of("stats", index(), "--json").json().get("docs").asInt()).as("a dry run deletes nothing").isEqualTo(4);
    CliRun applied = CliRun.of("delete", index(), "--source", "fraud-test-set", "--apply");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.out()).contains("deleted 2 records of source 'fraud-test-set'", "snapshot 4");
    assertThat(CliRun.of("stats", index(), "--json").json().at("/sources/fraud-test-set").isMissingNode()).isTrue();
    assertThat(CliRun.of("delete", index(), "--id", "t1", "--apply").exitCode()).as("--apply goes with --source")
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void verifyExitsFiveOnADamagedFile() throws Exception {
    assertThat(CliRun.of("init", index(), "--dim", "2", "--similarity", "euclidean").exitCode()).isZero();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      lines.append("{\"id\":\"r").append(i).append("\",\"vector\":[").append(i).append(",1]}\n");
    }
    ingest("data", lines.toString().strip().split("\n"));
    Path victim;
    try (var files = Files.list(dir.resolve("idx"))) {
      victim = files.filter(p -> !p.getFileName().toString().startsWith("segments") && !p.getFileName().toString().endsWith(".lock"))
          .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(victim, bytes);
    CliRun verify = CliRun.of("verify", index(), "--snapshot", "2");
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(verify.out()).contains("DAMAGED", "FAIL", victim.getFileName().toString());
  }

  @Test
  void revertUndoesOneSnapshotAndADryRunWritesNothing() throws Exception {
    assertThat(CliRun.of("init", index(), "--dim", "2", "--similarity", "euclidean").exitCode()).isZero();
    ingest("first", "{\"id\":\"a\",\"vector\":[0,0],\"text\":\"old a\"}");
    ingest("second", "{\"id\":\"a\",\"vector\":[0,0],\"text\":\"new a\"}", "{\"id\":\"b\",\"vector\":[5,5]}");
    // What snapshot 3 did to answers: b now tops the query near it.
    Path queries = Files.writeString(dir.resolve("queries.jsonl"), "{\"id\":\"near-b\",\"vector\":[5,5]}\n"
        + "{\"id\":\"near-a\",\"vector\":[0,0]}\n");
    CliRun impact = CliRun.of("snapshot", "diff", index(), "2", "3", "--queries", queries.toString(), "-k", "2", "--json");
    assertThat(impact.exitCode()).as(impact.toString()).isZero();
    assertThat(impact.json().at("/retrieval/queries").asInt()).isEqualTo(2);
    assertThat(impact.json().at("/retrieval/mostChanged/0/id").asText()).isEqualTo("near-b");
    assertThat(impact.json().at("/retrieval/mostChanged/0/after/0").asText()).isEqualTo("b");
    assertThat(impact.json().at("/retrieval/meanRbo").asDouble()).isLessThan(1.0);

    // A writable branch of snapshot 2, beside the index.
    CliRun branch = CliRun.of("snapshot", "branch", index(), "2", dir.resolve("branch").toString(), "--json");
    assertThat(branch.exitCode()).as(branch.toString()).isZero();
    assertThat(branch.json().get("snapshot").asInt()).isEqualTo(2);
    assertThat(branch.json().get("linked").asInt()).isEqualTo(branch.json().get("files").asInt());
    CliRun onBranch = CliRun.of("search", dir.resolve("branch").toString(), "--vector", "[5,5]", "--json");
    assertThat(onBranch.json().get("hits")).as("b came after snapshot 2").hasSize(1);

    // Undo snapshot 3 ("second": a's new text, b added): a dry run, then applied.
    CliRun dry = CliRun.of("snapshot", "revert", index(), "3", "--json");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.json().get("applied").asBoolean()).isFalse();
    assertThat(dry.json().get("snapshot").isNull()).isTrue();
    assertThat(dry.json().get("deleteIds").get(0).asText()).isEqualTo("b");
    assertThat(dry.json().get("restoreIds").get(0).asText()).isEqualTo("a");
    assertThat(CliRun.of("snapshot", "list", index(), "--json").json()).as("a dry run writes nothing").hasSize(3);
    CliRun reverted = CliRun.of("snapshot", "revert", index(), "3", "--apply");
    assertThat(reverted.exitCode()).as(reverted.toString()).isZero();
    assertThat(reverted.out()).contains("committed snapshot 4");
    CliRun afterRevert = CliRun.of("search", index(), "--vector", "[0,0]", "--json");
    assertThat(afterRevert.json().at("/hits/0/text").asText()).isEqualTo("old a");
    assertThat(afterRevert.json().get("hits")).hasSize(1);
  }

  @Test
  void listTagSearchAsItWasRollBackAndPrune() throws Exception {
    assertThat(CliRun.of("init", index(), "--dim", "2", "--similarity", "euclidean").exitCode()).isZero();
    ingest("first", "{\"id\":\"a\",\"vector\":[0,0],\"text\":\"old a\"}");
    ingest("second", "{\"id\":\"a\",\"vector\":[0,0],\"text\":\"new a\"}", "{\"id\":\"b\",\"vector\":[5,5]}");

    CliRun list = CliRun.of("snapshot", "list", index(), "--json");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    JsonNode snapshots = list.json();
    assertThat(snapshots).hasSize(3);
    JsonNode second = snapshots.get(2);
    for (String field : List.of("id", "parent", "createdAt", "message", "docs", "deletedDocs", "tags", "modelFingerprint", "recordDigest", "pinnedBytes")) {
      assertThat(second.has(field)).as("snapshot list has %s", field).isTrue();
    }
    assertThat(second.get("id").asInt()).isEqualTo(3);
    assertThat(second.get("parent").asInt()).isEqualTo(2);
    assertThat(second.get("docs").asInt()).isEqualTo(2);
    assertThat(second.get("message").asText()).isEqualTo("second");
    // Who wrote it: the ingest ran in this JVM (CliRun runs the command in-process).
    assertThat(second.at("/writer/process").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(second.at("/writer/user").asText()).isEqualTo(System.getProperty("user.name"));
    assertThat(second.at("/writer/host").asText()).isNotBlank();
    assertThat(second.at("/writer/strataVersion").asText()).isNotBlank();
    CliRun diff = CliRun.of("snapshot", "diff", index(), "2", "3", "--json");
    assertThat(diff.exitCode()).as(diff.toString()).isZero();
    assertThat(diff.json().get("added").asInt()).as(diff.out()).isEqualTo(1); // b
    assertThat(diff.json().get("changed").asInt()).isEqualTo(1); // a's text
    assertThat(diff.json().get("removed").asInt()).isZero();
    assertThat(diff.json().get("addedIds").get(0).asText()).isEqualTo("b");
    assertThat(diff.json().get("changedIds").get(0).asText()).isEqualTo("a");
    assertThat(diff.json().get("truncated").asBoolean()).isFalse();
    CliRun diffText = CliRun.of("snapshot", "diff", index(), "2", "3", "--limit", "0");
    assertThat(diffText.out()).contains("1 added, 0 removed, 1 changed, 0 unchanged", "(1 more; --limit)");
    CliRun table = CliRun.of("snapshot", "list", index());
    assertThat(table.out()).contains("written by", System.getProperty("user.name") + "@");

    assertThat(CliRun.of("snapshot", "tag", index(), "2", "good").exitCode()).isZero();
    CliRun old = CliRun.of("search", index(), "--vector", "[0,0]", "--snapshot", "good", "--json");
    assertThat(old.exitCode()).as(old.toString()).isZero();
    assertThat(old.json().get("snapshot").asInt()).isEqualTo(2);
    assertThat(old.json().at("/hits/0/text").asText()).isEqualTo("old a");
    assertThat(old.json().get("hits")).hasSize(1);

    CliRun rollback = CliRun.of("snapshot", "rollback", index(), "good", "--json");
    assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
    assertThat(rollback.json().at("/snapshot/id").asInt()).isEqualTo(4);
    assertThat(rollback.json().at("/snapshot/message").asText()).isEqualTo("rollback to snapshot 2 (good)");
    CliRun now = CliRun.of("search", index(), "--vector", "[0,0]", "--json");
    assertThat(now.json().at("/hits/0/text").asText()).isEqualTo("old a");

    CliRun show = CliRun.of("snapshot", "show", index(), "good", "--json");
    assertThat(show.json().get("tags").get(0).asText()).isEqualTo("good");

    CliRun prune = CliRun.of("snapshot", "prune", index(), "--keep", "1", "--json");
    assertThat(prune.exitCode()).as(prune.toString()).isZero();
    assertThat(prune.json().get("kept").toString()).isEqualTo("[2,4]"); // tagged 2 and the newest
    assertThat(prune.json().get("pruned").toString()).isEqualTo("[1,3]");

    CliRun verify = CliRun.of("verify", index(), "--json");
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.json().get("sound").asBoolean()).isTrue();
    assertThat(verify.json().get("snapshots")).hasSize(2);
    assertThat(CliRun.of("snapshot", "show", index(), "4", "--json").json().get("recordDigest").asText())
        .isEqualTo(CliRun.of("snapshot", "show", index(), "2", "--json").json().get("recordDigest").asText());

    Path archive = dir.resolve("snap.tar.zst");
    CliRun export = CliRun.of("export", index(), "--snapshot", "good", "--out", archive.toString(), "--json");
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.json().get("snapshot").asInt()).isEqualTo(2);
    CliRun imported = CliRun.of("import", archive.toString(), dir.resolve("copy").toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(CliRun.of("search", dir.resolve("copy").toString(), "--vector", "[0,0]", "--json").json().at("/hits/0/text").asText())
        .isEqualTo("old a");
    assertThat(CliRun.of("import", archive.toString(), dir.resolve("copy").toString()).exitCode()).isEqualTo(ExitCodes.INDEX);

    CliRun missing = CliRun.of("snapshot", "show", index(), "3");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("keeps no snapshot 3");
    assertThat(CliRun.of("snapshot", "untag", index(), "good").exitCode()).isZero();
    assertThat(CliRun.of("snapshot", "list", index()).out()).contains("rollback to snapshot 2");
  }
}
