package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.testing.HashEmbedder;
import dev.strata.core.testing.TestSeeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the migrating process at random points while a writer keeps writing through the
 * alias: the alias stays where it was (or, if the kill came after the switch, the writer moved
 * with it), the writer goes on, and no acknowledged write is lost wherever the alias points.
 */
class LiveMigrationCrashTest {
  @TempDir Path dir;

  @Test
  void aKilledMigrationLeavesTheAliasAndTheSourceWorkingAndLosesNoWrite() throws Exception {
    Random random = new Random(TestSeeds.seed("LiveMigrationCrashTest"));
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("live.alias");
    int stayed = 0;
    int switched = 0;
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      Map<String, String> expected = new HashMap<>(LiveMigrationTest.fill(blue, a, 20_000));
      IndexAlias.set(alias, blue, null, false);
      try (LiveIndex live = LiveIndex.openAlias(alias, IndexOptions.DEFAULTS, CommitPolicy.everyCall())
          .embedders(List.of(a))) {
        LiveMigrationTest.SteadyWriter writer = new LiveMigrationTest.SteadyWriter(live, expected, random.nextLong());
        writer.start();
        for (int kill = 0; kill < 5; kill++) {
          Path before = IndexAlias.read(alias).index();
          int millis = 300 + random.nextInt(5000);
          Process child = startChild(alias, dir.resolve("green-" + kill), dir.resolve("child-" + kill + ".log"));
          BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          assertThat(out.readLine()).isEqualTo("ready");
          Thread.sleep(millis);
          child.destroyForcibly(); // SIGKILL: no finally block lifts the fence
          assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
          long ops = writer.ops();
          writer.awaitOps(ops + 20); // the writer goes on: a dead migration's fence blocks nothing
          Path after = IndexAlias.read(alias).index();
          if (after.equals(before)) {
            stayed++;
          } else {
            switched++;
            assertThat(after).isEqualTo(dir.resolve("green-" + kill).toAbsolutePath().normalize());
          }
          assertThat(live.index().path().toAbsolutePath().normalize()).as("the writer writes where the alias points")
              .isEqualTo(after);
          System.out.printf("kill %d after %d ms: alias %s; writer at %d ops%n", kill, millis,
              after.equals(before) ? "unmoved" : "moved", writer.ops());
        }
        writer.stop();
        Path serving = IndexAlias.read(alias).index();
        Map<String, String> written = live.read(LiveMigrationTest::contents);
        assertThat(written).as("every acknowledged write, where the alias points").isEqualTo(writer.expected());
        assertThat(IndexRecovery.verifyIndex(serving).sound()).isTrue();
      }
    }
    System.out.printf("%d kills left the alias, %d came after the switch%n", stayed, switched);
    assertThat(stayed).as("some kills came before the switch").isPositive();
  }

  private static Process startChild(Path alias, Path target, Path log) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector",
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), MigratingChild.class.getName(),
        alias.toString(), target.toString()));
    Files.deleteIfExists(log);
    return new ProcessBuilder(command).redirectError(log.toFile()).start();
  }
}
