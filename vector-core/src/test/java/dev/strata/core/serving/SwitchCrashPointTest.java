package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.WriteFencedException;
import dev.strata.core.testing.HashEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every crash point of a live migration's switch, in {@code CrashPointTest}'s style: a clean run
 * counts the durable steps of the fence's raise, the alias's compare-and-set and the fence's
 * retirement; then, once per step, a child process migrates and halts exactly there. After each
 * crash the alias names the source or the target, never anything else; a write to the index it
 * names commits, one to the index it left is refused; every record is where the alias points; and
 * a new migration of the alias runs (the dead one's locks went with its process).
 */
class SwitchCrashPointTest {
  private static final Pattern STEP = Pattern.compile("step (\\d+) (staged|renamed) (.+)");

  @TempDir Path dir;

  @Test
  void aCrashAtEveryStepOfTheSwitchLeavesOneWritableIndexHoldingEverything() throws Exception {
    List<String> steps = new ArrayList<>();
    Path clean = scenario("clean");
    String output = runChild(clean, 0, 0);
    assertThat(output).contains("migrated");
    Matcher m = STEP.matcher(output);
    while (m.find()) {
      steps.add(m.group(2) + " " + m.group(3));
    }
    assertThat(steps).as(output).containsExactly("staged strata-fence.txt", "renamed strata-fence.txt",
        "staged live.alias", "renamed live.alias", "staged strata-fence.txt", "renamed strata-fence.txt");

    int moved = 0;
    for (int crashAt = 1; crashAt <= steps.size(); crashAt++) {
      Path tree = scenario("crash-" + crashAt);
      runChild(tree, crashAt, SwitchCrashChild.HALTED);
      Path blue = tree.resolve("blue");
      Path green = tree.resolve("green");
      Path served = IndexAlias.read(tree.resolve("live.alias")).index();
      boolean aliasMoved = crashAt >= 4; // the alias's rename is step 4
      assertThat(served).as("crash at step %d (%s)", crashAt, steps.get(crashAt - 1))
          .isEqualTo((aliasMoved ? green : blue).toAbsolutePath().normalize());
      Map<String, String> expected = new HashMap<>(latest(blue));
      try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16);
          VectorIndex writer = VectorIndex.open(blue)) {
        TextIndex.of(writer, a).upsertAll(List.of(TextRecord.of("after-" + crashAt, "written after the crash")));
        if (aliasMoved) {
          moved++;
          assertThatThrownBy(() -> writer.commit("stale")).as("step %d", crashAt)
              .isInstanceOfSatisfying(WriteFencedException.class, e -> assertThat(e.movedTo())
                  .contains(green.toAbsolutePath().normalize()));
        } else {
          writer.commit("the dead migration's fence is broken, the alias still names blue");
          expected.put("after-" + crashAt, "written after the crash");
        }
      }
      assertThat(latest(served)).as("step %d: everything where the alias points", crashAt)
          .isEqualTo(expected);
      LiveMigration.Report again = LiveMigration.migrate(tree.resolve("live.alias"), tree.resolve("green2"), null,
          s -> s, LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofSeconds(60)).build(), IndexRebuilder.Progress.NONE, () -> {});
      assertThat(latest(again.target())).as("step %d: a new migration", crashAt)
          .isEqualTo(expected);
    }
    System.out.printf("switch crash points: %d, alias moved in %d%n", steps.size(), moved);
  }

  private static Map<String, String> latest(Path index) {
    try (VectorIndex opened = VectorIndex.open(index, IndexOptions.builder().readOnly(true).build())) {
      return LiveMigrationTest.contents(opened);
    }
  }

  private Path scenario(String name) throws Exception {
    Path tree = dir.resolve(name);
    try (HashEmbedder a = new HashEmbedder(LiveMigrationTest.MODEL_A, 16)) {
      LiveMigrationTest.fill(tree.resolve("blue"), a, 50);
    }
    IndexAlias.set(tree.resolve("live.alias"), tree.resolve("blue"), null, false);
    return tree;
  }

  private static String runChild(Path tree, int crashAt, int expectedExit) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        SwitchCrashChild.class.getName(), tree.resolve("live.alias").toString(), tree.resolve("green").toString(),
        Integer.toString(crashAt)));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(expectedExit);
    return output;
  }
}
