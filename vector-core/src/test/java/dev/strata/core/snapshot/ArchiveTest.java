package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.Hit;
import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.IndexLockedException;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {
  private static final int DIM = 16;

  @TempDir Path dir;
  private final float[][] vectors = ClusteredVectors.generate(3, 1_200, DIM, 5);

  private VectorIndex source() {
    VectorIndex index = VectorIndex.create(dir.resolve("src"), IndexSchema.builder(DIM, Similarity.COSINE).build());
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      records.add(new Record("r" + i, vectors[i], "text " + i, Map.of("g", "g" + (i % 4))));
    }
    index.upsertAll(records);
    index.commit("base"); // snapshot 2
    return index;
  }

  private static List<String> ids(SearchResult r) {
    return r.hits().stream().map(Hit::id).toList();
  }

  @Test
  void exportThenImportGivesIdenticalSearchesAndDigest() {
    Path archive = dir.resolve("snap.tar.zst");
    try (VectorIndex index = source()) {
      index.history().tag("2", "known-good");
      index.history().tag("2", "release-7");
      index.history().tag("1", "empty"); // names another snapshot: stays behind
      ArchiveReport exported = index.history().export("2", null, archive);
      assertThat(exported.snapshotId()).isEqualTo(2);
      assertThat(exported.archiveBytes()).isPositive().isLessThan(exported.bytes() + 4096);
      ArchiveReport imported = SnapshotArchives.importArchive(archive, dir.resolve("copy"), false);
      assertThat(imported.snapshotId()).isEqualTo(2);
      try (VectorIndex copy = VectorIndex.open(dir.resolve("copy"))) {
        assertThat(copy.latestSnapshot().recordDigest()).isEqualTo(index.latestSnapshot().recordDigest());
        for (int q = 1_000; q < 1_020; q++) {
          SearchRequest request = SearchRequest.builder(vectors[q]).k(10).filter(MetadataFilter.term("g", "g1")).build();
          assertThat(ids(copy.search(request))).isEqualTo(ids(index.search(request)));
        }
        assertThat(copy.history().verify("2").sound()).isTrue();
        assertThat(copy.history().list()).singleElement()
            .satisfies(s -> assertThat(s.tags()).containsExactlyInAnyOrder("known-good", "release-7"));
        try (SnapshotView tagged = copy.history().open("known-good")) {
          assertThat(tagged.snapshot().id()).isEqualTo(2);
        }
      }
      assertThatThrownBy(() -> SnapshotArchives.importArchive(archive, dir.resolve("copy"), false))
          .isInstanceOf(IndexAlreadyExistsException.class)
          .hasMessageContaining("force");
      SnapshotArchives.importArchive(archive, dir.resolve("copy"), true);
    }
  }

  @Test
  void aFlippedByteOrATruncationFailsTheImportAndLeavesNothing() throws Exception {
    Path archive = dir.resolve("snap.tar.zst");
    try (VectorIndex index = source()) {
      index.history().export("2", null, archive);
    }
    byte[] bytes = Files.readAllBytes(archive);
    byte[] flipped = bytes.clone();
    flipped[flipped.length / 2] ^= 0x10;
    Files.write(dir.resolve("flipped.tar.zst"), flipped);
    Files.write(dir.resolve("truncated.tar.zst"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
    Files.writeString(dir.resolve("foreign.tar.zst"), "not an archive at all");
    for (String bad : List.of("flipped.tar.zst", "truncated.tar.zst", "foreign.tar.zst")) {
      assertThatThrownBy(() -> SnapshotArchives.importArchive(dir.resolve(bad), dir.resolve("restored"), false))
          .as(bad)
          .isInstanceOf(StrataException.class)
          .hasMessageContaining(bad);
      assertThat(dir.resolve("restored")).as(bad).doesNotExist();
    }
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("importing"));
    }
  }

  @Test
  void anIncrementalArchiveShipsOnlyNewFilesAndNeedsItsBase() throws Exception {
    Path full = dir.resolve("full.tar.zst");
    Path delta = dir.resolve("delta.tar.zst");
    try (VectorIndex index = source()) {
      ArchiveReport base = index.history().export("2", null, full);
      List<Record> more = new ArrayList<>();
      for (int i = 1_000; i < 1_100; i++) {
        more.add(Record.of("r" + i, vectors[i]));
      }
      index.upsertAll(more);
      index.commit("more"); // snapshot 3: the old segment plus a new one
      ArchiveReport inc = index.history().export("3", "2", delta);
      assertThat(inc.baseSnapshotId()).isEqualTo(2);
      assertThat(inc.bytes()).isLessThan(base.bytes());

      assertThatThrownBy(() -> SnapshotArchives.importArchive(delta, dir.resolve("empty-replica"), false))
          .hasMessageContaining("needs base snapshot 2");
      assertThat(dir.resolve("empty-replica")).doesNotExist();

      SnapshotArchives.importArchive(full, dir.resolve("replica"), false);
      SnapshotArchives.importArchive(delta, dir.resolve("replica"), false);
      try (VectorIndex replica = VectorIndex.open(dir.resolve("replica"))) {
        assertThat(replica.latestSnapshot().id()).isEqualTo(3);
        assertThat(replica.latestSnapshot().recordDigest()).isEqualTo(index.latestSnapshot().recordDigest());
        assertThat(replica.stats().docs()).isEqualTo(1_100);
      }
    }
  }

  @Test
  void importNeverReplacesARegularFile() throws Exception {
    Path archive = dir.resolve("snap.tar.zst");
    Path notAnIndex = Files.writeString(dir.resolve("notes.txt"), "an operator's notes");
    try (VectorIndex index = source()) {
      index.history().export("2", null, archive);
    }
    for (boolean force : new boolean[] {false, true}) {
      assertThatThrownBy(() -> SnapshotArchives.importArchive(archive, notAnIndex, force))
          .isInstanceOf(IndexAlreadyExistsException.class)
          .hasMessageContaining("it is a file");
    }
    assertThat(Files.readString(notAnIndex)).isEqualTo("an operator's notes");
  }

  @Test
  void importForceRefusesAnIndexThatAWriterHolds() throws Exception {
    Path archive = dir.resolve("snap.tar.zst");
    try (VectorIndex index = source()) {
      index.history().export("2", null, archive);
    }
    try (VectorIndex busy = VectorIndex.create(dir.resolve("busy"), IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      busy.upsert(Record.of("mine", vectors[0]));
      busy.commit("the writer's own");
      assertThatThrownBy(() -> SnapshotArchives.importArchive(archive, dir.resolve("busy"), true))
          .isInstanceOf(IndexLockedException.class);
      busy.upsert(Record.of("after", vectors[1]));
      assertThat(busy.commit("still its own").liveCount()).as("the writer's index is untouched").isEqualTo(2);
    }
    assertThat(dir.resolve("busy")).isDirectory();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".importing-"));
    }
  }

  @Test
  void anIncrementalImportRefusesAReplicaThatMovedPastItsBase() {
    Path full = dir.resolve("full.tar.zst");
    Path delta = dir.resolve("delta.tar.zst");
    Path replica = dir.resolve("replica");
    try (VectorIndex index = source()) {
      index.history().export("2", null, full);
      SnapshotArchives.importArchive(full, replica, false);
      index.upsert(Record.of("new-at-source", vectors[1_100]));
      index.commit("source moves on"); // snapshot 3
      index.history().export("3", "2", delta);
    }
    try (VectorIndex moved = VectorIndex.open(replica)) {
      moved.upsert(Record.of("only-on-replica", vectors[1_101]));
      moved.commit("the replica moved on too"); // its own snapshot 3
    }
    assertThatThrownBy(() -> SnapshotArchives.importArchive(delta, replica, false))
        .isInstanceOf(IndexAlreadyExistsException.class)
        .hasMessageContaining("latest snapshot is 3, not the archive's base 2");
    try (VectorIndex kept = VectorIndex.open(replica)) {
      assertThat(kept.contains("only-on-replica")).as("nothing was replaced").isTrue();
    }
    SnapshotArchives.importArchive(delta, replica, true); // the operator's explicit choice
    try (VectorIndex replaced = VectorIndex.open(replica)) {
      assertThat(replaced.contains("new-at-source")).isTrue();
      assertThat(replaced.contains("only-on-replica")).isFalse();
    }
  }

  @Test
  void aSnapshotThatRecordedOtherSnapshotsTagsImportsSound() {
    Path archive = dir.resolve("later.tar.zst");
    try (VectorIndex index = source()) {
      index.history().tag("2", "release");
      index.upsert(Record.of("later", vectors[1_100]));
      index.commit("records one tag, which names snapshot 2"); // snapshot 3
      index.history().export("3", null, archive);
    }
    SnapshotArchives.importArchive(archive, dir.resolve("copy"), false);
    try (VectorIndex copy = VectorIndex.open(dir.resolve("copy"))) {
      assertThat(copy.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.checks().toString()).isTrue());
      assertThat(copy.history().list()).singleElement().satisfies(s -> assertThat(s.tags()).isEmpty());
    }
  }
}
