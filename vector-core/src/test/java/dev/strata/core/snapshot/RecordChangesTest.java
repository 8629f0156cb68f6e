package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotView#changesSince} walks two snapshots in id order side by side; it must name
 * exactly what a comparison of their full id-to-hash maps names, whatever the segments look like.
 */
class RecordChangesTest {
  /** Ids that sort differently as UTF-8 bytes and as Java strings, and share prefixes. */
  private static final String[] STEMS = {"r", "r-", "R", "é", "\uFB01", "😀", "\uD83D\uDE00x", "a/b"};

  @TempDir Path dir;

  @Test
  void theSideBySideWalkMatchesTheMapsOfEverySnapshotPair() {
    Random random = new Random(TestSeeds.seed("record-changes"));
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      List<SnapshotView> views = new ArrayList<>();
      try {
        for (int commit = 0; commit < 8; commit++) {
          int ops = 1 + random.nextInt(120);
          for (int op = 0; op < ops; op++) {
            String id = STEMS[random.nextInt(STEMS.length)] + random.nextInt(40);
            if (random.nextInt(4) == 0) {
              index.delete(id);
            } else {
              index.upsert(Record.of(id, new float[] {random.nextInt(3), random.nextInt(3)}));
            }
          }
          index.commit("c" + commit); // one or more new segments each time; merges now and then
          views.add(index.openLatestSnapshot());
        }
        for (SnapshotView from : views) {
          for (SnapshotView to : views) {
            assertThat(to.changesSince(from)).as("%s -> %s", from.snapshot().id(), to.snapshot().id())
                .isEqualTo(fromMaps(from.recordHashes(), to.recordHashes()));
          }
        }
      } finally {
        views.forEach(SnapshotView::close);
      }
    }
  }

  @Test
  void twoIndexesWithTheSameRecordsDifferOnlyWhereTheirRecordsDo() {
    IndexSchema schema = IndexSchema.builder(2, Similarity.EUCLIDEAN).build();
    try (VectorIndex a = VectorIndex.create(dir.resolve("a"), schema);
        VectorIndex b = VectorIndex.create(dir.resolve("b"), schema)) {
      for (int i = 0; i < 50; i++) {
        a.upsert(Record.of("id-" + i, new float[] {i, 1}));
        b.upsert(Record.of("id-" + (49 - i), new float[] {49 - i, i == 7 ? 2 : 1})); // other order, other segments
        if (i % 10 == 9) {
          a.commit("a" + i);
        }
      }
      b.upsert(Record.of("only-b", new float[] {0, 0}));
      b.commit("b");
      try (SnapshotView va = a.openLatestSnapshot(); SnapshotView vb = b.openLatestSnapshot()) {
        RecordChanges changes = vb.changesSince(va);
        assertThat(changes.added()).containsExactly("only-b");
        assertThat(changes.removed()).isEmpty();
        assertThat(changes.changed()).containsExactly("id-42");
        assertThat(changes.unchanged()).isEqualTo(49);
        assertThat(changes.sameIds()).isFalse();
        assertThat(changes.count()).isEqualTo(2);
      }
    }
  }

  /**
   * Segments both snapshots hold unchanged are counted, not walked; a deletion in one of them makes
   * it another segment for the comparison.
   */
  @Test
  void sharedSegmentsAreSkippedOnlyWhileTheirDeletionsAreTheSame() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      for (int i = 0; i < 300; i++) {
        index.upsert(Record.of("old-" + i, new float[] {i, 0}));
      }
      index.commit("load");
      try (SnapshotView loaded = index.openLatestSnapshot()) {
        index.upsert(Record.of("new-1", new float[] {1, 1}));
        index.commit("append");
        try (SnapshotView appended = index.openLatestSnapshot()) {
          RecordChanges changes = appended.changesSince(loaded);
          assertThat(changes.added()).containsExactly("new-1");
          assertThat(changes.removed()).isEmpty();
          assertThat(changes.unchanged()).isEqualTo(300);

          index.delete("old-17");
          index.upsert(Record.of("old-42", new float[] {42, 9}));
          index.commit("a deletion and an update in the loaded segment");
          try (SnapshotView edited = index.openLatestSnapshot()) {
            RecordChanges edits = edited.changesSince(appended);
            assertThat(edits.removed()).containsExactly("old-17");
            assertThat(edits.changed()).containsExactly("old-42");
            assertThat(edits.added()).isEmpty();
            assertThat(edits.unchanged()).isEqualTo(299);
            assertThat(edited.changesSince(loaded)).isEqualTo(fromMaps(loaded.recordHashes(), edited.recordHashes()));
          }
        }
      }
    }
  }

  /**
   * A rollback reopens the writer on an older commit, which then numbers its next deletions as it
   * did before: two snapshots can hold one segment with the same deletion generation and other
   * deletions. The comparison must see them as different.
   */
  @Test
  void deletionsMadeAgainAfterARollbackAreNotMistakenForTheOldOnes() {
    try (VectorIndex index = loaded(dir.resolve("idx"), 50)) {
      long loaded = index.latestSnapshot().id();
      index.delete("r1");
      long first = index.commit("delete r1").id();
      index.history().rollbackTo(Long.toString(loaded));
      index.delete("r2");
      long second = index.commit("delete r2 after the rollback").id();
      try (SnapshotView before = index.history().open(Long.toString(first));
          SnapshotView after = index.history().open(Long.toString(second))) {
        RecordChanges changes = after.changesSince(before);
        assertThat(changes.added()).containsExactly("r1");
        assertThat(changes.removed()).containsExactly("r2");
        assertThat(changes).isEqualTo(fromMaps(before.recordHashes(), after.recordHashes()));
      }
    }
  }

  @Test
  void aBranchSharesItsSegmentsWithItsOrigin() {
    try (VectorIndex index = loaded(dir.resolve("origin"), 100)) {
      long snapshot = index.latestSnapshot().id();
      index.history().branch(Long.toString(snapshot), dir.resolve("branch"));
      index.delete("r5");
      index.commit("after the branch");
      try (VectorIndex branch = VectorIndex.open(dir.resolve("branch"));
          SnapshotView origin = index.openLatestSnapshot();
          SnapshotView branched = branch.openLatestSnapshot()) {
        RecordChanges changes = branched.changesSince(origin);
        assertThat(changes.added()).containsExactly("r5");
        assertThat(changes.removed()).isEmpty();
        assertThat(changes.unchanged()).isEqualTo(99);
      }
    }
  }

  @Test
  void aClosedViewCannotBeCompared() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one");
      SnapshotView closed = index.openLatestSnapshot();
      closed.close();
      try (SnapshotView open = index.openLatestSnapshot()) {
        assertThatThrownBy(() -> open.changesSince(closed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("was closed");
      }
    }
  }

  /** A new index of records r0 .. r{count - 1}, committed once. */
  private static VectorIndex loaded(Path path, int count) {
    VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build());
    for (int i = 0; i < count; i++) {
      index.upsert(Record.of("r" + i, new float[] {i, 0}));
    }
    index.commit("load");
    return index;
  }

  private static RecordChanges fromMaps(Map<String, Long> before, Map<String, Long> after) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    long unchanged = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      Long old = before.get(e.getKey());
      if (old == null) {
        added.add(e.getKey());
      } else if (!old.equals(e.getValue())) {
        changed.add(e.getKey());
      } else {
        unchanged++;
      }
    }
    before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);
    added.sort(null);
    removed.sort(null);
    changed.sort(null);
    return new RecordChanges(added, removed, changed, unchanged);
  }
}
