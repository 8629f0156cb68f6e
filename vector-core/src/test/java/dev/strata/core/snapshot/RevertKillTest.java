package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.TestFiles;
import dev.strata.core.testing.TestSeeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * A revert killed by SIGKILL at a seeded moment leaves either no new snapshot and the records as
 * they were, or the whole revert: never part of it.
 */
class RevertKillTest {
  @TempDir Path dir;

  @Test
  void aKilledRevertLeavesAllOrNothing() throws Exception {
    Path template = dir.resolve("template");
    Map<String, float[]> before = new HashMap<>();
    Map<String, float[]> reverted = new HashMap<>();
    long bad;
    long later;
    try (VectorIndex index = VectorIndex.create(template, IndexSchema.builder(4, Similarity.EUCLIDEAN).build())) {
      List<Record> base = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        base.add(Record.of("r" + i, new float[] {i, 0, 0, 1}));
      }
      index.upsertAll(base);
      index.commit("base");
      base.forEach(r -> reverted.put(r.id(), r.vector()));
      List<Record> batch = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        batch.add(Record.of("r" + i, new float[] {i, 1, 0, 1}));
      }
      for (int i = 0; i < 500; i++) {
        batch.add(Record.of("n" + i, new float[] {i, 2, 0, 1}));
      }
      index.upsertAll(batch);
      List<String> deleted = new ArrayList<>();
      for (int i = 2000; i < 2500; i++) {
        deleted.add("r" + i);
      }
      index.deleteAll(deleted);
      bad = index.commit("the bad batch").id();
      List<Record> unrelated = new ArrayList<>();
      for (int i = 2900; i < 3000; i++) {
        unrelated.add(Record.of("r" + i, new float[] {i, 3, 0, 1}));
      }
      index.upsertAll(unrelated);
      later = index.commit("a later write").id();
      unrelated.forEach(r -> reverted.put(r.id(), r.vector())); // kept by the revert
      for (String id : allIds()) {
        index.get(id).ifPresent(r -> before.put(id, r.vector()));
      }
    }

    long seed = TestSeeds.seed("RevertKillTest");
    Random random = new Random(seed);
    long fullRunMs = 0;
    int kills = 4 * TestSeeds.multiplier();
    for (int run = 0; run <= kills; run++) {
      Path path = TestFiles.copyIndex(template, dir.resolve("run-" + run));
      Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
          "jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"), RevertChild.class.getName(),
          path.toString(), Long.toString(bad)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("reverting");
        long started = System.nanoTime();
        if (run == 0) { // the first run is not killed: it measures how long a revert takes here
          assertThat(out.readLine()).startsWith("done");
          fullRunMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        } else {
          Thread.sleep((long) (random.nextDouble() * fullRunMs * 1.2));
          child.toHandle().destroyForcibly(); // SIGKILL
        }
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

      try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
        SnapshotInfo latest = index.latestSnapshot();
        String what = "seed " + seed + ", run " + run + " (kill within " + fullRunMs + " ms), latest " + latest;
        boolean revertCommitted = latest.id() != later;
        if (revertCommitted) {
          assertThat(latest.message()).as(what).startsWith("revert of snapshot " + bad);
        }
        Map<String, float[]> expected = revertCommitted ? reverted : before;
        for (String id : allIds()) {
          float[] actual = index.get(id).map(Record::vector).orElse(null);
          float[] want = expected.get(id);
          assertThat(actual == null ? want == null : want != null && java.util.Arrays.equals(actual, want))
              .as("%s: record %s", what, id).isTrue();
        }
      }
    }
  }

  private static List<String> allIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ids.add("r" + i);
    }
    for (int i = 0; i < 500; i++) {
      ids.add("n" + i);
    }
    return ids;
  }
}
