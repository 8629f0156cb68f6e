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

  @Test
  void aDamagedOldCommitPointNeverBlocksTheHead() throws Exception {
    String index = fourSnapshots();
    Path old = segmentsFiles(Path.of(index)).get(1); // snapshot 2's commit point
    flipMiddleByte(old);

    for (String[] args : List.of(new String[] {"stats", index}, new String[] {"snapshot", "list", index},
        new String[] {"search", index, "--vector", "[1,2,3]", "--snapshot", "3"})) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      if (args[0].equals("snapshot")) {
        assertThat(run.err()).as("the damaged one beside the kept ones").contains("warning: commit point",
            old.getFileName().toString());
      }
    }
    CliRun verify = CliRun.of("verify", index, "--json");
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(verify.json().get("index").toString()).contains("commitPoints", old.getFileName().toString());
    assertThat(verify.json().get("intactSnapshots").toString()).isEqualTo("[1,3,4]");

    CliRun ingest = CliRun.of("ingest", index, "--input", records(900, 1000).toString());
    assertThat(ingest.exitCode()).as("the writer moves the damaged commit point aside: " + ingest).isZero();
    CliRun after = CliRun.of("verify", index, "--json");
    assertThat(after.exitCode()).as(after.toString()).isZero();
    assertThat(after.json().get("index").toString()).contains("quarantine", "strata-damaged-" + old.getFileName());
    assertThat(Files.list(Path.of(index)).map(p -> p.getFileName().toString()))
        .as("the damaged bytes are kept for forensics").anyMatch(n -> n.startsWith("strata-damaged-segments_"));
  }

  @Test
  void aDamagedLatestCommitPointIsRecoveredToTheNewestIntactSnapshot() throws Exception {
    String index = fourSnapshots();
    flipMiddleByte(segmentsFiles(Path.of(index)).getLast());

    CliRun stats = CliRun.of("stats", index);
    assertThat(stats.exitCode()).as(stats.toString()).isEqualTo(ExitCodes.CORRUPT);
    CliRun verify = CliRun.of("verify", index);
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(verify.out()).contains("intact snapshots: [1, 2, 3]");

    CliRun recover = CliRun.of("snapshot", "rollback", index, "--recover");
    assertThat(recover.exitCode()).as(recover.toString()).isZero();
    assertThat(recover.out()).contains("recovery: rollback to snapshot 3", "600 live records");
    CliRun sound = CliRun.of("verify", index);
    assertThat(sound.exitCode()).as(sound.toString()).isZero();
  }

  @Test
  void aDeletedLatestCommitPointIsNoticedNotServed() throws Exception {
    String index = fourSnapshots();
    Files.delete(segmentsFiles(Path.of(index)).getLast());

    CliRun search = CliRun.of("search", index, "--vector", "[1,2,3]");
    assertThat(search.exitCode()).as(search.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(search.err()).contains("snapshot 4 was committed last", "holds snapshot 3");
    CliRun verify = CliRun.of("verify", index, "--json");
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(verify.json().get("index").toString()).contains("head", "snapshot 4 was committed last");

    CliRun recover = CliRun.of("snapshot", "rollback", index, "--recover", "--json");
    assertThat(recover.exitCode()).as(recover.toString()).isZero();
    assertThat(recover.json().get("snapshot").get("id").asLong()).as("snapshot 4's id is never given again").isEqualTo(5);
    assertThat(CliRun.of("verify", index).exitCode()).isZero();
    CliRun stats = CliRun.of("stats", index, "--json");
    assertThat(stats.json().get("docs").asInt()).isEqualTo(600);
  }

  /** Snapshots 1 (empty) to 4 (900 records), one commit point each. */
  private String fourSnapshots() throws Exception {
    String index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "3", "--similarity", "euclidean").exitCode()).isZero();
    ingest(index, 0, 300);
    ingest(index, 300, 600);
    ingest(index, 600, 900);
    assertThat(segmentsFiles(Path.of(index))).hasSize(4);
    return index;
  }

  private static List<Path> segmentsFiles(Path index) throws Exception {
    try (Stream<Path> list = Files.list(index)) {
      return list.filter(p -> p.getFileName().toString().startsWith("segments_"))
          .sorted(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(9), 36)))
          .toList();
    }
  }

  private static void flipMiddleByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);
  }

  private Path records(int from, int to) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lines.add("{\"id\":\"r" + i + "\",\"vector\":[" + i + "," + (i % 5) + ",1]}");
    }
    Path file = dir.resolve("part" + from + ".jsonl");
    Files.write(file, lines);
    return file;
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
