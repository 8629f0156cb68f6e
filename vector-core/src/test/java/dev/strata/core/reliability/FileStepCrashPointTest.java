package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.io.ChecksummedFile;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.snapshot.IndexRecovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash points of the operations that write Strata's own small files rather than Lucene's: a tag
 * and an alias move (with its snapshot pin), in {@code CrashPointTest}'s style. A clean run lists
 * their durable steps ({@link ChecksummedFile#observeSteps}); then the operation runs again once
 * per step and stops dead there (an error thrown at the step: these operations hold no lock a
 * crash could strand that a thrown error would not release too). After each: the operation took
 * effect whole or not at all, retention never took a snapshot the outcome protects, the index
 * verifies sound and the operation succeeds when run again. The switch of a live migration, whose
 * locks do depend on the process, has its own in {@code SwitchCrashPointTest}, with real processes.
 */
class FileStepCrashPointTest {
  private static final IndexOptions KEEP_ONE = IndexOptions.builder().retention(RetentionPolicy.keepLast(1)).build();

  @TempDir Path dir;

  /** Thrown at the chosen step: the process "stops" there. */
  static final class PowerLost extends Error {
    PowerLost(String step) {
      super("power lost at: " + step);
    }
  }

  @AfterEach
  void stopObserving() {
    ChecksummedFile.observeSteps(null);
  }

  @Test
  void aTagCrashedAtAnyStepIsWholeOrAbsentAndRetentionHonoursWhatIsThere() throws Exception {
    Path clean = indexWithTwoSnapshots("tag-clean");
    List<String> steps = stepsOf(() -> tag(clean));
    assertThat(steps).containsExactly("staged strata-tags.txt", "renamed strata-tags.txt",
        "staged strata-tags.mirror.txt", "renamed strata-tags.mirror.txt");
    for (int crashAt = 1; crashAt <= steps.size(); crashAt++) {
      Path path = indexWithTwoSnapshots("tag-" + crashAt);
      crashAt(crashAt, () -> tag(path));
      boolean tagged = TagCatalog.read(path).containsKey("keep");
      assertThat(tagged).as("step %d", crashAt).isEqualTo(crashAt >= 2); // the catalog's rename is the tag
      try (VectorIndex index = VectorIndex.open(path, KEEP_ONE)) {
        index.upsert(Record.of("later", new float[] {3, 1}));
        index.commit("after the crash");
        assertThat(index.history().list().stream().anyMatch(s -> s.info().id() == 2))
            .as("step %d: snapshot 2 kept exactly when tagged", crashAt).isEqualTo(tagged);
      }
      assertThat(IndexRecovery.verifyIndex(path).sound()).as("step %d", crashAt).isTrue();
      tag2Again(path, tagged);
    }
  }

  @Test
  void anAliasMoveCrashedAtAnyStepNamesOneTargetAndItsPinnedSnapshotIsKept() throws Exception {
    Path cleanTree = dir.resolve("alias-clean");
    IndexAlias.set(cleanTree.resolve("live.alias"), indexWithTwoSnapshots("alias-clean/idx"), "2", false);
    List<String> steps = stepsOf(() -> pinTo(cleanTree, "3"));
    assertThat(steps).contains("renamed live.alias");
    int aliasRename = steps.indexOf("renamed live.alias") + 1;
    for (int crashAt = 1; crashAt <= steps.size(); crashAt++) {
      Path tree = dir.resolve("alias-" + crashAt);
      Path path = indexWithTwoSnapshots("alias-" + crashAt + "/idx");
      IndexAlias.set(tree.resolve("live.alias"), path, "2", false); // pinned to 2, now moving to 3
      crashAt(crashAt, () -> pinTo(tree, "3"));
      IndexAlias alias = IndexAlias.read(tree.resolve("live.alias"));
      assertThat(alias.snapshotId()).as("step %d (%s)", crashAt, steps.get(crashAt - 1)).isEqualTo(crashAt >= aliasRename ? 3L : 2L);
      try (VectorIndex index = VectorIndex.open(path, KEEP_ONE)) {
        index.upsert(Record.of("later", new float[] {3, 1}));
        index.commit("after the crash");
        assertThat(index.history().list()).as("step %d: the pinned snapshot survives retention", crashAt)
            .anySatisfy(s -> assertThat(s.info().id()).isEqualTo(alias.snapshotId()));
      }
      assertThat(IndexRecovery.verifyIndex(path).sound()).as("step %d", crashAt).isTrue();
      assertThat(pinTo(tree, "4").snapshotId()).as("moved again, to the newest").isEqualTo(4L);
    }
  }

  /** The durable steps {@code operation} takes in a clean run (the head record's, which commits write, left out). */
  private static List<String> stepsOf(Runnable operation) {
    List<String> steps = new ArrayList<>();
    ChecksummedFile.observeSteps(steps::add);
    try {
      operation.run();
    } finally {
      ChecksummedFile.observeSteps(null);
    }
    return steps.stream().filter(s -> !s.contains("strata-head")).toList();
  }

  private static void crashAt(int step, Runnable operation) {
    int[] seen = {0};
    ChecksummedFile.observeSteps(s -> {
      if (!s.contains("strata-head") && ++seen[0] == step) {
        throw new PowerLost(s);
      }
    });
    try {
      assertThatThrownBy(operation::run).isInstanceOf(PowerLost.class);
    } finally {
      ChecksummedFile.observeSteps(null);
    }
  }

  private static void tag(Path path) {
    try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
      index.history().tag("2", "keep");
    }
  }

  private static void tag2Again(Path path, boolean tagged) {
    if (!tagged) {
      return; // snapshot 2 is gone, as an untagged snapshot goes
    }
    try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
      index.history().tag("2", "keep-too");
    }
    assertThat(TagCatalog.read(path)).containsKeys("keep", "keep-too");
  }

  private static IndexAlias pinTo(Path tree, String snapshot) {
    return IndexAlias.set(tree.resolve("live.alias"), tree.resolve("idx"), snapshot, false);
  }

  private Path indexWithTwoSnapshots(String name) {
    Path path = dir.resolve(name);
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one"); // snapshot 1 is the empty index create made; this is 2
      index.upsert(Record.of("b", new float[] {0, 1}));
      index.commit("two");
    }
    return path;
  }
}
