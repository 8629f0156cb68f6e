package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's way out of a damaged newest snapshot: verify names it, rollback --recover leaves it. */
class RecoveryCommandsTest {
  @TempDir Path dir;

  @Test
  void verifyNamesTheDamagedSnapshotAndRollbackRecoverRestoresAnIntactOne() throws Exception {
    String index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "3", "--similarity", "euclidean").exitCode()).isZero();
    ingest(index, 0, 300);
    Set<String> before = files(Path.of(index));
    ingest(index, 300, 600);
    Path victim = files(Path.of(index)).stream().filter(f -> !before.contains(f) && !f.startsWith("segments"))
        .map(f -> Path.of(index, f)).max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    byte[] bytes = Files.readAllBytes(victim);
    Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length - 7));

    CliRun search = CliRun.of("search", index, "--vector", "[1,2,3]");
    assertThat(search.exitCode()).as(search.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(search.err()).contains(victim.getFileName().toString(), "latest snapshot is damaged", "--recover");

    CliRun verify = CliRun.of("verify", index, "--json");
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    JsonNode snapshots = verify.json().get("snapshots");
    assertThat(snapshots).hasSize(3);
    assertThat(snapshots.get(1).get("sound").asBoolean()).as("snapshot 2 does not use the damaged file").isTrue();
    assertThat(snapshots.get(2).get("sound").asBoolean()).isFalse();
    assertThat(snapshots.get(2).toString()).contains(victim.getFileName().toString());

    CliRun refused = CliRun.of("snapshot", "rollback", index, "3", "--recover");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("snapshot 3 of index", "is damaged too");

    CliRun recover = CliRun.of("snapshot", "rollback", index, "2", "--recover");
    assertThat(recover.exitCode()).as(recover.toString()).isZero();
    assertThat(recover.out()).contains("recovery: rollback to snapshot 2", "300 live records");
    CliRun stats = CliRun.of("stats", index, "--json");
    assertThat(stats.exitCode()).as(stats.toString()).isZero();
    assertThat(stats.json().get("docs").asInt()).isEqualTo(300);
    assertThat(stats.json().get("counters").get("rollbacks").asInt()).isEqualTo(1);
  }

  private void ingest(String index, int from, int to) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lines.add("{\"id\":\"r" + i + "\",\"vector\":[" + i + "," + (i % 5) + ",1]}");
    }
    Path file = dir.resolve("part" + from + ".jsonl");
    Files.write(file, lines);
    CliRun run = CliRun.of("ingest", index, "--input", file.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  private static Set<String> files(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return new HashSet<>(list.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList());
    }
  }
}
