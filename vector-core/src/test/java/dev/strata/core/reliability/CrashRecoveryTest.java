package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.snapshot.VerificationReport;
import dev.strata.core.testing.TestSeeds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real processes killed with SIGKILL at seeded random moments while they ingest, compact, roll
 * back or import. After each kill the index must open, verify sound, hold exactly the records of
 * the snapshot it reports (replayed from the child's script), and that snapshot must be the last
 * one whose commit returned, or the one after it (durable, but killed before it could say so).
 * Runs print their seeds; {@code -Dtests.multiplier=N} runs N times as many.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}: {1} kills")
  @CsvSource({"ingest, 20", "compact, 8", "rollback, 8"})
  void killedWritersLoseNothingThatWasCommitted(String mode, int kills) throws Exception {
    Random random = new Random(TestSeeds.seed("crash-" + mode));
    int atLoggedCommit = 0;
    int atUnacknowledgedCommit = 0;
    for (int run = 0; run < kills * TestSeeds.multiplier(); run++) {
      long seed = random.nextLong();
      Path index = dir.resolve(mode + "-" + run);
      ChildRun child = ChildRun.start(List.of(mode, index.toString(), Long.toString(seed)), dir.resolve(mode + "-" + run + ".log"));
      child.killAfter(150 + random.nextInt(1_500));
      String context = mode + " run " + run + ", " + TestSeeds.describe(seed) + ", child output " + child.log;

      long lastAcknowledged = 1;
      String lastDigest = null;
      for (String line : child.lines) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("committed")) {
          lastAcknowledged = Long.parseLong(parts[1]);
          lastDigest = parts[2];
        }
      }
      if (!child.sawReady()) {
        continue; // killed before it created the index: nothing was promised
      }
      try (VectorIndex reopened = VectorIndex.open(index)) {
        SnapshotInfo latest = reopened.latestSnapshot();
        assertThat(latest.id()).as(context).isBetween(lastAcknowledged, lastAcknowledged + 1);
        if (latest.id() == lastAcknowledged) {
          atLoggedCommit++;
          if (lastDigest != null) {
            assertThat(latest.recordDigest()).as("digest of the last acknowledged commit, " + context).isEqualTo(lastDigest);
          }
        } else {
          atUnacknowledgedCommit++;
        }
        Map<String, float[]> expected = new CrashScript(seed, mode).expectedStates(latest.id()).get(latest.id());
        assertThat(reopened.stats().docs()).as("live records, " + context).isEqualTo(expected.size());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
          assertThat(reopened.get(e.getKey()).orElseThrow().vector()).as(e.getKey() + ", " + context).containsExactly(e.getValue());
        }
        for (VerificationReport report : reopened.history().verifyAll()) {
          assertThat(report.sound()).as("snapshot " + report.snapshotId() + " " + report.checks() + ", " + context).isTrue();
        }
        reopened.upsert(Record.of("after-crash", new float[CrashScript.DIM]));
        assertThat(reopened.commit("after the crash").liveCount()).as(context).isEqualTo(expected.size() + 1);
      }
    }
    System.out.printf("crash %s: %d kills survived: %d at the last acknowledged commit, %d one commit later%n",
        mode, kills * TestSeeds.multiplier(), atLoggedCommit, atUnacknowledgedCommit);
  }

  @Test
  void aKilledImportLeavesNoHalfIndexAndTheNextImportSucceeds() throws Exception {
    Path source = dir.resolve("source");
    Path archive = dir.resolve("snapshot.tar.zst");
    String digest;
    try (VectorIndex index = VectorIndex.create(source, IndexSchema.builder(CrashScript.DIM, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(new CrashScript(1, "ingest").op(0).upserts());
      index.upsertAll(new CrashScript(2, "ingest").op(0).upserts());
      SnapshotInfo committed = index.commit("to archive");
      digest = committed.recordDigest();
      index.history().export(Long.toString(committed.id()), null, archive);
    }
    Random random = new Random(TestSeeds.seed("crash-import"));
    int complete = 0;
    int absent = 0;
    for (int run = 0; run < 8 * TestSeeds.multiplier(); run++) {
      Path dest = dir.resolve("restored-" + run);
      ChildRun child = ChildRun.start(List.of("import", archive.toString(), dest.toString()), dir.resolve("import-" + run + ".log"));
      child.killAfter(random.nextInt(2_500));
      String context = "import run " + run + ", child output " + child.log;
      if (Files.exists(dest) && !isEmpty(dest)) {
        complete++;
        try (VectorIndex restored = VectorIndex.open(dest)) {
          assertThat(restored.latestSnapshot().recordDigest()).as(context).isEqualTo(digest);
          assertThat(restored.history().verifyAll()).as(context).allMatch(VerificationReport::sound);
        }
      } else {
        absent++;
        SnapshotArchives.importArchive(archive, dest, false);
        try (VectorIndex restored = VectorIndex.open(dest)) {
          assertThat(restored.latestSnapshot().recordDigest()).as("import after a killed one, " + context).isEqualTo(digest);
        }
      }
    }
    System.out.printf("crash import: %d kills survived: %d found the import complete, %d found nothing and imported again%n",
        complete + absent, complete, absent);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** A child JVM running {@link CrashingChild}, its stdout collected line by line. */
  private static final class ChildRun {
    final Process process;
    final Path log;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildRun(Process process, Path log) {
      this.process = process;
      this.log = log;
      this.reader = Thread.ofVirtual().start(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("reader failed: " + e);
        }
      });
    }

    static ChildRun start(List<String> args, Path log) throws IOException {
      List<String> command = new ArrayList<>(List.of(
          ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector",
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashingChild.class.getName()));
      command.addAll(args);
      return new ChildRun(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
    }

    /** Waits for "ready", then {@code millis}, then SIGKILL (or the child's own end). */
    void killAfter(int millis) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!sawReady() && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(millis);
      process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child gone after SIGKILL").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
      if (!sawReady()) {
        throw new AssertionError("child never became ready; its stderr is in " + log + ": " + Files.readString(log));
      }
    }

    boolean sawReady() {
      return lines.contains("ready");
    }
  }
}
