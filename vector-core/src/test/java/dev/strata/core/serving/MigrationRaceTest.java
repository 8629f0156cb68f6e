package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.TextRecord;
import dev.strata.core.WriteFencedException;
import dev.strata.core.index.TextIndex;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.fence.FenceRules;
import dev.strata.core.internal.fence.WriteFence;
import dev.strata.core.testing.HashEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The red-team's ways of losing acknowledged writes through a live migration (issue 31), on real
 * indexes and, where the race is between processes, real processes. Each failed on round two's
 * fence: the switch after its deadline, process-id liveness across PID namespaces, a fence naming
 * its alias by absolute path, and a switch that did not check the alias still named its source.
 */
class MigrationRaceTest {
  private static final LiveMigration.Options QUICK = LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofSeconds(30)).build();

  @TempDir Path dir;

  @Test
  void aSwitchThatCannotMoveTheAliasWithinItsLeaseAbortsAndAWriterAfterTheLeaseKeepsItsWrite() throws Exception {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(blue, a, 10);
      IndexAlias.set(alias, blue, null, false);
      Process holder = child("lock", alias.resolveSibling("live.alias.lock").toString()); // an operator's alias set, stuck
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        CompletableFuture<LiveMigration.Report> migration = CompletableFuture.supplyAsync(() -> LiveMigration.migrate(
            alias, dir.resolve("green"), null, s -> s, LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofMillis(1500)).build(),
            IndexRebuilder.Progress.NONE, () -> {}));
        awaitFence(blue, migration);
        // A writer whose clock says the lease has lapsed (as the red-team's ingest after the deadline).
        IndexOptions later = IndexOptions.builder().clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1))).build();
        try (VectorIndex writer = VectorIndex.open(blue, later)) {
          TextIndex.of(writer, a).upsertAll(List.of(TextRecord.of("late", "written after the fence's deadline")));
          assertThat(writer.commit("after the deadline").liveCount()).isEqualTo(11);
        }
        assertThatThrownBy(() -> migration.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOfAny(dev.strata.core.FenceLostException.class, AliasChangedException.class)
            .hasMessageContaining("not moved");
        assertThat(IndexAlias.read(alias).index()).as("the alias stays where the write is").isEqualTo(abs(blue));
        assertThat(WriteFence.read(blue).orElseThrow().state()).isEqualTo(FenceRules.State.LIFTED);
      } finally {
        holder.getOutputStream().close();
        holder.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aWriterInAnotherPidNamespaceIsFencedByTheHoldersLockNotItsProcessId() throws Exception {
    List<String> unshare = unshareCommand();
    assumeThat(unshare).as("Linux unshare with PID namespaces is not available here").isNotNull();
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(blue, a, 10);
      IndexAlias alias0 = IndexAlias.set(alias, blue, null, false);
      try (WriteFence.Raised fence = WriteFence.raise(blue, alias, dir.resolve("green"), alias0.generation(),
          Duration.ofMinutes(5), Clock.systemUTC())) {
        List<String> command = new ArrayList<>(unshare);
        command.addAll(javaCommand("commit", blue.toString(), "x"));
        Process other = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as("refused in its own PID namespace: %s", said).isEqualTo(FenceTestChild.FENCED);
        assertThat(said).contains("fenced while its migration");
      }
      Process after = new ProcessBuilder(javaCommand("commit", blue.toString(), "y")).redirectErrorStream(true).start();
      String said = new String(after.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(after.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(after.exitValue()).as("the lifted fence blocks nothing: %s", said).isZero();
    }
  }

  @Test
  void aMovedTreeOrADeletedAliasKeepsTheOldIndexFenced() throws Exception {
    Path tree = dir.resolve("tree");
    Path alias = tree.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(tree.resolve("blue"), a, 10);
      IndexAlias.set(alias, tree.resolve("blue"), null, false);
      LiveMigration.migrate(alias, tree.resolve("green"), null, s -> s, QUICK, IndexRebuilder.Progress.NONE, () -> {});

      Path moved = Files.move(tree, dir.resolve("tree-moved"));
      Path blue = moved.resolve("blue");
      try (VectorIndex stale = VectorIndex.open(blue)) {
        TextIndex.of(stale, a).upsertAll(List.of(TextRecord.of("late", "into the index the alias left")));
        assertThatThrownBy(() -> stale.commit("late")).isInstanceOfSatisfying(WriteFencedException.class, e -> {
          assertThat(e.migrating()).isFalse();
          assertThat(e.movedTo()).contains(abs(moved.resolve("green")));
        });
        Files.delete(moved.resolve("live.alias"));
        assertThatThrownBy(() -> stale.commit("late")).isInstanceOf(WriteFencedException.class)
            .hasMessageContaining("does not exist").hasMessageContaining("cannot be shown to reach any reader");
        IndexAlias.set(moved.resolve("live.alias"), blue, null, true); // the operator points it back
        assertThat(stale.commit("late").liveCount()).as("written once the alias names it again").isEqualTo(11);
      }
    }
  }

  @Test
  void aSecondMigrationOfTheAliasIsRefusedAtOnceNamingTheFirst() throws Exception {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(blue, a, 10);
      IndexAlias.set(alias, blue, null, false);
      CountDownLatch reached = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<LiveMigration.Report> first = CompletableFuture.supplyAsync(() -> LiveMigration.migrate(alias,
          dir.resolve("green1"), null, s -> s, QUICK, IndexRebuilder.Progress.NONE, () -> {
            reached.countDown();
            await(release);
          }));
      assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> LiveMigration.migrate(alias, dir.resolve("green2"), null, s -> s, QUICK,
          IndexRebuilder.Progress.NONE, () -> {})).isInstanceOf(MigrationInProgressException.class)
          .hasMessageContaining("green1");
      assertThat(Files.exists(dir.resolve("green2"))).as("refused before it built anything").isFalse();
      release.countDown();
      assertThat(first.get(60, TimeUnit.SECONDS).movedAlias().index()).isEqualTo(abs(dir.resolve("green1")));
    }
  }

  @Test
  void anAliasSetDuringAMigrationWinsAndTheMigrationDoesNotMoveTheAlias() throws Exception {
    Path blue = dir.resolve("blue");
    Path copy = dir.resolve("blue-copy");
    Path alias = dir.resolve("live.alias");
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(blue, a, 10);
      IndexRebuilder.copy(blue, copy, s -> s, IndexRebuilder.Progress.NONE);
      IndexAlias.set(alias, blue, null, false);
      assertThatThrownBy(() -> LiveMigration.migrate(alias, dir.resolve("green"), null, s -> s, QUICK,
          IndexRebuilder.Progress.NONE, () -> IndexAlias.set(alias, copy, null, false)))
          .isInstanceOf(AliasChangedException.class).hasMessageContaining("blue-copy");
      assertThat(IndexAlias.read(alias).index()).isEqualTo(abs(copy));
      assertThat(WriteFence.read(blue).orElseThrow().state()).as("the source is writable again")
          .isEqualTo(FenceRules.State.LIFTED);
    }
  }

  private static void awaitFence(Path index, CompletableFuture<?> migration) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (WriteFence.read(index).isEmpty()) {
      if (migration.isDone()) {
        migration.get(); // it failed before the fence: say why
      }
      assertThat(System.nanoTime()).as("the fence went up within 60 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path abs(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static Process child(String... args) throws Exception {
    return new ProcessBuilder(javaCommand(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        FenceTestChild.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** How to start a process in a new PID namespace here, or null when this machine cannot. */
  private static List<String> unshareCommand() {
    for (List<String> candidate : List.of(List.of("unshare", "--pid", "--fork", "--mount-proc"),
        List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"))) {
      try {
        List<String> probe = new ArrayList<>(candidate);
        probe.add("true");
        Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (Exception e) {
        // not this way
      }
    }
    return null;
  }
}
