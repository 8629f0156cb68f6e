package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.catalog.TagCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
  @TempDir Path dir;

  private static float[] v(int i) {
    return new float[] {1, i, (float) Math.sin(i)};
  }

  /** Every live record of a view, by id: what a snapshot holds, compared whole. */
  private static Map<String, Record> contents(SnapshotView view, int maxId) {
    Map<String, Record> out = new HashMap<>();
    for (int i = 0; i < maxId; i++) {
      view.get("r" + i).ifPresent(r -> out.put(r.id(), r));
    }
    return out;
  }

  private VectorIndex threeCommits(IndexOptions options) {
    VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(3, Similarity.EUCLIDEAN).build(), options);
    for (int i = 0; i < 10; i++) {
      index.upsert(Record.of("r" + i, v(i), "first " + i));
    }
    index.commit("first"); // snapshot 2
    index.upsert(Record.of("r3", v(30), "changed"));
    index.delete("r4");
    index.upsert(Record.of("r10", v(10)));
    index.commit("second"); // snapshot 3
    index.deleteAll(List.of("r0", "r1"));
    index.commit("third"); // snapshot 4
    return index;
  }

  @Test
  void forEachRecordHandsOverEveryLiveRecordOfTheViewsSnapshotAndNothingElse() {
    try (VectorIndex index = threeCommits(IndexOptions.DEFAULTS)) {
      for (String snapshot : List.of("2", "3", "4")) {
        try (SnapshotView view = index.history().open(snapshot)) {
          Map<String, Record> scanned = new HashMap<>();
          view.forEachRecord(r -> assertThat(scanned.put(r.id(), r)).as("each record once").isNull());
          assertThat(scanned).as("snapshot " + snapshot).isEqualTo(contents(view, 20));
          assertThat(scanned).hasSize((int) view.liveCount());
        }
      }
    }
  }

  @Test
  void rollbackToATaggedSnapshotRestoresItExactlyAndKeepsTheOthersSearchable() {
    try (VectorIndex index = threeCommits(IndexOptions.DEFAULTS)) {
      index.history().tag("2", "known-good");
      Map<String, Record> first;
      try (SnapshotView view = index.history().open("known-good")) {
        first = contents(view, 20);
        assertThat(view.snapshot().message()).isEqualTo("first");
      }
      assertThat(first).hasSize(10);

      SnapshotInfo rolledBack = index.history().rollbackTo("known-good");
      assertThat(rolledBack.id()).isEqualTo(5);
      assertThat(rolledBack.parentId()).isEqualTo(4);
      assertThat(rolledBack.message()).isEqualTo("rollback to snapshot 2 (known-good)");
      assertThat(rolledBack.liveCount()).isEqualTo(10);
      try (SnapshotView now = index.history().open("5")) {
        assertThat(contents(now, 20)).isEqualTo(first);
      }
      assertThat(index.get("r3").orElseThrow().text()).isEqualTo("first 3");
      assertThat(index.contains("r10")).isFalse();

      // The snapshots after the target are still there and searchable as they were.
      try (SnapshotView third = index.history().open("4")) {
        assertThat(third.get("r0")).isEmpty();
        assertThat(third.search(SearchRequest.builder(v(10)).k(1).build()).hits().get(0).id()).isEqualTo("r10");
        assertThat(third.search(SearchRequest.builder(v(10)).k(1).build()).snapshotId()).isEqualTo(4);
      }
      // A new commit builds on the rolled-back state.
      index.upsert(Record.of("r11", v(11)));
      SnapshotInfo after = index.commit("after rollback");
      assertThat(after.parentId()).isEqualTo(5);
      assertThat(after.liveCount()).isEqualTo(11);
    }
  }

  @Test
  void rollbackRefusesWhileWritesAreBuffered() {
    try (VectorIndex index = threeCommits(IndexOptions.DEFAULTS)) {
      index.upsert(Record.of("pending", v(99)));
      assertThatThrownBy(() -> index.history().rollbackTo("2"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("buffered writes");
      assertThat(index.commit("kept").liveCount()).isEqualTo(9); // 8 after "third", plus the pending one
    }
  }

  @Test
  void retentionKeepsTheLastNAndEveryTaggedSnapshot() {
    IndexOptions keepTwo = IndexOptions.builder().retention(RetentionPolicy.keepLast(2)).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(3, Similarity.EUCLIDEAN).build(), keepTwo)) {
      index.upsert(Record.of("a", v(1)));
      index.commit("two");
      index.history().tag("2", "release-1");
      for (int i = 3; i <= 6; i++) {
        index.upsert(Record.of("r" + i, v(i)));
        index.commit("commit " + i);
      }
      List<SnapshotSummary> kept = index.history().list();
      assertThat(kept).extracting(s -> s.info().id()).containsExactly(2L, 5L, 6L);
      assertThat(kept.get(0).tags()).containsExactly("release-1");
      assertThat(kept).allSatisfy(s -> assertThat(s.pinnedBytes()).isPositive());
      assertThatThrownBy(() -> index.history().open("3"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keeps no snapshot 3; kept: [2, 5, 6]");

      index.history().untag("release-1");
      index.upsert(Record.of("r7", v(7)));
      index.commit("commit 7");
      assertThat(index.history().list()).extracting(s -> s.info().id()).containsExactly(6L, 7L);
    }
  }

  @Test
  void snapshotSummariesCountDeletesAndCarryTheModel() {
    try (VectorIndex index = threeCommits(IndexOptions.DEFAULTS)) {
      List<SnapshotSummary> all = index.history().list();
      assertThat(all).extracting(s -> s.info().id()).containsExactly(1L, 2L, 3L, 4L);
      SnapshotSummary third = all.get(3);
      assertThat(third.info().liveCount()).isEqualTo(8); // 10, then r0 and r1 deleted
      // Read from the commit's segment infos; the open reader counts the same deletes its own way.
      assertThat(third.deletedDocs()).isEqualTo(index.stats().deletedDocs());
      assertThat(third.modelFingerprint()).isNull();
    }
  }

  @Test
  void tagsAreValidatedAndTheCatalogIsChecksummed() throws Exception {
    try (VectorIndex index = threeCommits(IndexOptions.DEFAULTS)) {
      assertThatThrownBy(() -> index.history().tag("2", "123")).hasMessageContaining("all digits");
      assertThatThrownBy(() -> index.history().tag("2", "bad tag")).hasMessageContaining("must match");
      assertThatThrownBy(() -> index.history().tag("99", "x")).hasMessageContaining("keeps no snapshot 99");
      assertThatThrownBy(() -> index.history().untag("nope")).hasMessageContaining("has no tag 'nope'");
      index.history().tag("3", "v2");
      Path catalog = dir.resolve("idx").resolve(TagCatalog.FILE);
      Files.writeString(catalog, Files.readString(catalog).replace("v2=3", "v2=2"));
      assertThatThrownBy(() -> index.history().open("v2"))
          .isInstanceOf(StrataException.class)
          .hasMessageContaining("fails its checksum");
    }
  }

  @Test
  void retentionSurvivesReopenAndTimeTravelWorksReadOnly() {
    threeCommits(IndexOptions.DEFAULTS).close();
    try (VectorIndex reader = VectorIndex.open(dir.resolve("idx"), IndexOptions.builder().readOnly(true).build());
        SnapshotView second = reader.history().open("3")) {
      assertThat(second.get("r3").orElseThrow().text()).isEqualTo("changed");
      assertThat(second.liveCount()).isEqualTo(10);
    }
  }
}
