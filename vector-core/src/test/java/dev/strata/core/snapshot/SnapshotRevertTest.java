package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverting a snapshot undoes exactly its changes and keeps every later write to other records:
 * random write histories (seeded) against a model of what each record should be afterwards.
 */
class SnapshotRevertTest {
  private static final int IDS = 16;

  @TempDir Path dir;

  @Test
  void aRevertRestoresWhatTheSnapshotChangedAndKeepsLaterWrites() {
    long seed = TestSeeds.seed("snapshot-revert");
    Random random = new Random(seed);
    for (int history = 0; history < 12; history++) {
      boolean force = history % 2 == 1;
      Path path = dir.resolve("h" + history);
      try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
        List<Map<String, float[]>> states = new ArrayList<>();
        List<Long> snapshots = new ArrayList<>();
        states.add(Map.of());
        snapshots.add(index.latestSnapshot().id());
        Map<String, float[]> model = new HashMap<>();
        for (int commit = 0; commit < 6; commit++) {
          for (int op = 0; op < 1 + random.nextInt(10); op++) {
            String id = "r" + random.nextInt(IDS);
            if (random.nextInt(3) == 0) {
              index.delete(id);
              model.remove(id);
            } else {
              float[] v = {random.nextInt(4), random.nextInt(4)};
              index.upsert(Record.of(id, v));
              model.put(id, v);
            }
          }
          snapshots.add(index.commit("c" + commit).id());
          states.add(new HashMap<>(model));
        }
        int n = 1 + random.nextInt(snapshots.size() - 1); // any snapshot after the empty first one
        Map<String, float[]> parent = states.get(n - 1);
        Map<String, float[]> at = states.get(n);
        Map<String, float[]> latest = states.get(states.size() - 1);
        Map<String, float[]> expected = new HashMap<>(latest);
        TreeSet<String> conflicts = new TreeSet<>();
        for (int i = 0; i < IDS; i++) {
          String id = "r" + i;
          if (same(parent.get(id), at.get(id))) {
            continue; // not touched by the snapshot
          }
          if (!same(at.get(id), latest.get(id))) {
            conflicts.add(id); // written again since
            if (!force) {
              continue;
            }
          }
          if (parent.containsKey(id)) {
            expected.put(id, parent.get(id));
          } else {
            expected.remove(id);
          }
        }
        String what = "seed " + seed + ", history " + history + ", revert " + snapshots.get(n) + (force ? " forced" : "");

        long before = index.latestSnapshot().id();
        SnapshotRevert dry = index.history().revert(Long.toString(snapshots.get(n)), force, false);
        assertThat(dry.snapshot()).as(what).isNull();
        assertThat(index.latestSnapshot().id()).as("a dry run writes nothing: " + what).isEqualTo(before);
        assertThat(dry.conflicts()).as(what).containsExactlyElementsOf(conflicts);

        SnapshotRevert applied = index.history().revert(Long.toString(snapshots.get(n)), force, true);
        assertThat(applied.conflicts()).as(what).containsExactlyElementsOf(conflicts);
        for (int i = 0; i < IDS; i++) {
          String id = "r" + i;
          float[] actual = index.get(id).map(Record::vector).orElse(null);
          assertThat(same(actual, expected.get(id))).as("%s: record %s is %s, expected %s", what, id,
              Arrays.toString(actual), Arrays.toString(expected.get(id))).isTrue();
        }
        boolean nothingToDo = applied.toDelete().isEmpty() && applied.toRestore().isEmpty();
        assertThat(applied.snapshot() == null).as(what).isEqualTo(nothingToDo);
      }
    }
  }

  @Test
  void aRevertRefusesBufferedWritesAndASnapshotWhoseParentIsGone() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      long one = index.commit("one").id();
      index.upsert(Record.of("b", new float[] {0, 1})); // buffered, not committed
      assertThatThrownBy(() -> index.history().revert(Long.toString(one), false, true))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("buffered writes");
      assertThat(index.history().revert(Long.toString(one), false, false).toDelete()).containsExactly("a");
      long first = index.history().list().get(0).info().id();
      assertThatThrownBy(() -> index.history().revert(Long.toString(first), false, false))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("parent snapshot");
    }
  }

  private static boolean same(float[] a, float[] b) {
    return a == null || b == null ? Objects.equals(a, b) : Arrays.equals(a, b);
  }
}
