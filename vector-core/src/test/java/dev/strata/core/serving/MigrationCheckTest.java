package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live migration's proofs about its target, on real indexes: the walk before the fence names
 * ids that differ, and the check under the fence catches a final round that did not land, a count
 * that differs, and for a copy a digest that differs.
 */
class MigrationCheckTest {
  private static final IndexSchema SCHEMA = IndexSchema.builder(2, Similarity.EUCLIDEAN).build();

  @TempDir Path dir;

  @Test
  void theWalkBeforeTheFenceNamesIdsTheTargetHasWrongAndPassesWhenTheyAgree() {
    try (VectorIndex source = index("source", "a", "b", "c"); VectorIndex target = index("target", "a", "b", "d");
        VectorIndex same = index("same", "c", "b", "a");
        SnapshotView s = source.openLatestSnapshot(); SnapshotView t = target.openLatestSnapshot();
        SnapshotView u = same.openLatestSnapshot()) {
      assertThatThrownBy(() -> MigrationCheck.sameIds(target.path(), t, s))
          .isInstanceOf(IndexRebuilder.RebuildMismatchException.class)
          .hasMessageContaining("1 not in the source (d)").hasMessageContaining("1 missing (c)");
      assertThatCode(() -> MigrationCheck.sameIds(same.path(), u, s)).doesNotThrowAnyException();
    }
  }

  @Test
  void theCheckUnderTheFenceCatchesAFinalRoundThatDidNotLand() {
    try (VectorIndex source = index("source", "a", "b", "c"); VectorIndex target = index("target", "a", "b", "c");
        VectorIndex fewer = index("fewer", "a", "b");
        SnapshotView s = source.openLatestSnapshot(); SnapshotView t = target.openLatestSnapshot();
        SnapshotView f = fewer.openLatestSnapshot()) {
      RecordChanges landed = new RecordChanges(List.of("c"), List.of("x"), List.of("a"), 1);
      assertThatCode(() -> MigrationCheck.finalRoundLanded(target.path(), t, s.snapshot(), landed, true))
          .doesNotThrowAnyException();

      RecordChanges notLanded = new RecordChanges(List.of("e"), List.of("b"), List.of(), 2);
      assertThatThrownBy(() -> MigrationCheck.finalRoundLanded(target.path(), t, s.snapshot(), notLanded, false))
          .isInstanceOf(IndexRebuilder.RebuildMismatchException.class)
          .hasMessageContaining("1 missing (e)").hasMessageContaining("1 deleted in the source but still held (b)");
      assertThatThrownBy(() -> MigrationCheck.finalRoundLanded(fewer.path(), f, s.snapshot(), landed, false))
          .hasMessageContaining("holds 2 records, the source at the fence 3");
    }
  }

  @Test
  void aCopyMustCarryTheSourcesDigestAndARebuildWithAnotherModelNeedNot() {
    try (VectorIndex source = index("source", "a", "b"); VectorIndex target = VectorIndex.create(dir.resolve("t"), SCHEMA);
        SnapshotView s = source.openLatestSnapshot()) {
      target.upsertAll(List.of(Record.of("a", new float[] {9, 9}), Record.of("b", new float[] {1, 2})));
      target.commit("other vectors for a");
      try (SnapshotView t = target.openLatestSnapshot()) {
        RecordChanges none = new RecordChanges(List.of(), List.of(), List.of(), 2);
        assertThatThrownBy(() -> MigrationCheck.finalRoundLanded(target.path(), t, s.snapshot(), none, true))
            .hasMessageContaining("record digest");
        assertThatCode(() -> MigrationCheck.finalRoundLanded(target.path(), t, s.snapshot(), none, false))
            .doesNotThrowAnyException();
      }
    }
  }

  /** An index of {@code ids}, each with a vector its name fixes (so equal ids make equal records). */
  private VectorIndex index(String name, String... ids) {
    VectorIndex index = VectorIndex.create(dir.resolve(name), SCHEMA);
    for (String id : ids) {
      index.upsert(Record.of(id, new float[] {id.charAt(0) - 'a' + 1, 2}));
    }
    index.commit("records " + String.join(",", ids));
    return index;
  }
}
