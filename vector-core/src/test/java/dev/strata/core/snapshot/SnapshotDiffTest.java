package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot diff names exactly the records that were added, removed and changed. */
class SnapshotDiffTest {
  @TempDir Path dir;

  @Test
  void addedRemovedAndChangedRecordsByIdBetweenTwoSnapshots() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(List.of(Record.of("a", new float[] {1, 0}), Record.of("b", new float[] {0, 1}), Record.of("c", new float[] {1, 1})));
      SnapshotInfo first = index.commit("first");
      index.history().tag(Long.toString(first.id()), "before");
      index.upsert(Record.of("b", new float[] {0, 2})); // changed
      index.upsert(Record.of("a", new float[] {1, 0})); // written again, the same record: unchanged
      index.delete("c");
      index.upsert(Record.of("d", new float[] {2, 2}));
      SnapshotInfo second = index.commit("second");

      SnapshotDiff diff = index.history().diff("before", Long.toString(second.id()));
      assertThat(diff.from().id()).isEqualTo(first.id());
      assertThat(diff.to().id()).isEqualTo(second.id());
      assertThat(diff.added()).containsExactly("d");
      assertThat(diff.removed()).containsExactly("c");
      assertThat(diff.changed()).containsExactly("b");
      assertThat(diff.unchanged()).isEqualTo(1);
      assertThat(diff.same()).isFalse();

      SnapshotDiff back = index.history().diff(Long.toString(second.id()), "before");
      assertThat(back.added()).containsExactly("c");
      assertThat(back.removed()).containsExactly("d");
      assertThat(back.changed()).containsExactly("b");
      assertThat(index.history().diff("before", "before").same()).isTrue();
    }
  }

  /** Random write histories against a model of the records each snapshot should hold (seeded). */
  @Test
  void aDiffMatchesAModelOfTheWritesBetweenTheSnapshots() {
    long seed = dev.strata.core.testing.TestSeeds.seed("snapshot-diff");
    Random random = new Random(seed);
    try (VectorIndex index = VectorIndex.create(dir.resolve("model"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      Map<String, float[]> model = new HashMap<>();
      List<Map<String, float[]>> states = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (int commit = 0; commit < 6; commit++) {
        for (int op = 0; op < 40; op++) {
          String id = "r" + random.nextInt(30);
          if (random.nextInt(4) == 0) {
            index.delete(id);
            model.remove(id);
          } else {
            float[] v = {random.nextInt(3), random.nextInt(3)};
            index.upsert(Record.of(id, v));
            model.put(id, v);
          }
        }
        ids.add(index.commit("c" + commit).id());
        states.add(new HashMap<>(model));
      }
      for (int i = 0; i < states.size(); i++) {
        for (int j = 0; j < states.size(); j++) {
          SnapshotDiff diff = index.history().diff(Long.toString(ids.get(i)), Long.toString(ids.get(j)));
          Map<String, float[]> from = states.get(i);
          Map<String, float[]> to = states.get(j);
          TreeSet<String> added = new TreeSet<>(to.keySet());
          added.removeAll(from.keySet());
          TreeSet<String> removed = new TreeSet<>(from.keySet());
          removed.removeAll(to.keySet());
          TreeSet<String> changed = new TreeSet<>();
          for (String id : to.keySet()) {
            if (from.containsKey(id) && !java.util.Arrays.equals(from.get(id), to.get(id))) {
              changed.add(id);
            }
          }
          String what = "seed " + seed + ", " + ids.get(i) + " -> " + ids.get(j);
          assertThat(diff.added()).as(what).containsExactlyElementsOf(added);
          assertThat(diff.removed()).as(what).containsExactlyElementsOf(removed);
          assertThat(diff.changed()).as(what).containsExactlyElementsOf(changed);
          assertThat(diff.unchanged()).as(what).isEqualTo(to.size() - added.size() - changed.size());
        }
      }
    }
  }
}
