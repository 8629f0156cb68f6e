package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.io.ChecksummedFile;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexAliasTest {
  @TempDir Path dir;

  private static SnapshotInfo createWith(Path path, IndexSchema schema, String marker) {
    try (VectorIndex index = VectorIndex.create(path, schema)) {
      float[] v = new float[schema.dimension()];
      v[0] = 1;
      index.upsertAll(List.of(new Record("doc", v, null, Map.of("marker", marker))),
          VectorSource.unchecked("test vectors"));
      return index.commit(marker);
    }
  }

  private static String markerSeenBy(SearcherHandle handle) {
    try (SnapshotView view = handle.acquire()) {
      return view.get("doc").orElseThrow().metadata().get("marker").toString();
    }
  }

  @Test
  void aHandleOnAnAliasFollowsRepointsAndNewCommits() throws Exception {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path blue = dir.resolve("indexes/blue");
    Path green = dir.resolve("indexes/green");
    SnapshotInfo blueSnapshot = createWith(blue, schema, "blue");
    createWith(green, schema, "green");
    Path alias = dir.resolve("products.alias");

    IndexAlias first = IndexAlias.set(alias, blue, null, false);
    assertThat(first.generation()).isEqualTo(1);
    assertThat(first.followsLatest()).isTrue();
    assertThat(Files.readString(alias)).as("stored relative to the alias file").contains("index=indexes/blue");

    try (SearcherHandle handle = SearcherHandle.openAlias(alias)) {
      assertThat(markerSeenBy(handle)).isEqualTo("blue");
      IndexAlias second = IndexAlias.set(alias, green, null, false);
      assertThat(second.generation()).isEqualTo(2);
      assertThat(markerSeenBy(handle)).as("moves only on refresh").isEqualTo("blue");
      handle.refresh();
      assertThat(markerSeenBy(handle)).isEqualTo("green");

      // Pinned to a snapshot: new commits to that index do not move the handle.
      IndexAlias.set(alias, blue, Long.toString(blueSnapshot.id()), false);
      handle.refresh();
      try (VectorIndex index = VectorIndex.open(blue)) {
        index.upsert(new Record("doc", new float[] {1, 0, 0, 0}, null, Map.of("marker", "blue-2")));
        index.commit("newer");
      }
      handle.refresh();
      assertThat(markerSeenBy(handle)).isEqualTo("blue");

      // Following the latest again: the watcher picks up the repoint by itself.
      IndexAlias.set(alias, blue, null, false);
      handle.watch(Duration.ofMillis(20));
      await().atMost(Duration.ofSeconds(20)).until(() -> markerSeenBy(handle).equals("blue-2"));
      assertThat(handle.refreshFailures()).isZero();
    }
  }

  @Test
  void aCrashBetweenWriteAndRenameLeavesTheOldAliasReadable() throws Exception {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    createWith(blue, schema, "blue");
    createWith(green, schema, "green");
    Path alias = dir.resolve("svc.alias");
    IndexAlias.set(alias, blue, null, false);

    // What a writer that died before its rename leaves: a staged file, complete or torn.
    Path staged = ChecksummedFile.temporaryFileOf(alias);
    Files.writeString(staged, "index=green\nsnapshot=lat", StandardCharsets.UTF_8);
    assertThat(IndexAlias.read(alias).index()).isEqualTo(blue.toAbsolutePath().normalize());
    try (SearcherHandle handle = SearcherHandle.openAlias(alias)) {
      assertThat(markerSeenBy(handle)).isEqualTo("blue");
    }
    // The next repoint overwrites the leftover and lands whole.
    IndexAlias.set(alias, green, null, false);
    assertThat(Files.exists(staged)).isFalse();
    assertThat(IndexAlias.read(alias).index()).isEqualTo(green.toAbsolutePath().normalize());
    assertThat(IndexAlias.read(alias).generation()).isEqualTo(2);

    // A file torn or edited in place is an error that names it, never a silent wrong target.
    String text = Files.readString(alias);
    Files.writeString(alias, text.replace("index=green", "index=blue"));
    assertThatThrownBy(() -> IndexAlias.read(alias))
        .isInstanceOf(StrataException.class).hasMessageContaining("fails its checksum");
    assertThatThrownBy(() -> IndexAlias.read(dir.resolve("missing.alias")))
        .isInstanceOf(IndexNotFoundException.class);
  }

  /** The named form of a move: set, pinned, forced, and compare-and-set against what was read. */
  @Test
  void aMoveSaysWhereByNameAndCanBeACompareAndSet() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    SnapshotInfo blueFirst = createWith(blue, schema, "blue");
    createWith(green, schema, "green");
    Path alias = dir.resolve("named.alias");
    assertThatThrownBy(() -> AliasMove.of(alias).apply()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("to(indexDirectory)");

    IndexAlias first = AliasMove.of(alias).to(blue).snapshot(Long.toString(blueFirst.id())).apply();
    assertThat(first.followsLatest()).isFalse();
    assertThat(first.snapshotId()).isEqualTo((Long) blueFirst.id());

    IndexAlias moved = AliasMove.of(alias).to(green).ifStill(first, java.time.Duration.ofSeconds(5)).apply();
    assertThat(moved.index()).isEqualTo(green.toAbsolutePath().normalize());
    assertThatThrownBy(() -> AliasMove.of(alias).to(blue).ifStill(first, java.time.Duration.ofSeconds(5)).apply())
        .as("the alias moved since 'first' was read").isInstanceOf(AliasChangedException.class);
    assertThat(IndexAlias.read(alias)).isEqualTo(moved);
  }

  @Test
  void repointingToAnIncompatibleIndexNeedsForce() {
    Path small = dir.resolve("small");
    Path large = dir.resolve("large");
    Path otherModel = dir.resolve("other-model");
    createWith(small, IndexSchema.builder(4, Similarity.COSINE).build(), "small");
    createWith(large, IndexSchema.builder(8, Similarity.COSINE).build(), "large");
    createWith(otherModel, IndexSchema.builder(4, Similarity.COSINE).modelFingerprint("model-x").build(), "x");
    Path alias = dir.resolve("a.alias");
    IndexAlias.set(alias, small, null, false);

    assertThatThrownBy(() -> IndexAlias.set(alias, large, null, false))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("dimension: expected 4, actual 8");
    assertThatThrownBy(() -> IndexAlias.set(alias, otherModel, null, false))
        .isInstanceOf(EmbeddingDriftException.class).hasMessageContaining("--force");
    assertThatThrownBy(() -> IndexAlias.set(alias, small, "42", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps no snapshot 42");
    assertThatThrownBy(() -> IndexAlias.set(alias, dir.resolve("nowhere"), null, false))
        .isInstanceOf(IndexNotFoundException.class);
    assertThat(IndexAlias.read(alias).index()).as("refusals leave the alias as it was")
        .isEqualTo(small.toAbsolutePath().normalize());

    IndexAlias forced = IndexAlias.set(alias, large, null, true);
    assertThat(forced.dimension()).isEqualTo(8);
    assertThat(IndexAlias.read(alias)).isEqualTo(forced);
  }

  @Test
  void retentionKeepsTheSnapshotAnAliasPinsUntilTheAliasMoves() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path path = dir.resolve("idx");
    Path alias = dir.resolve("serving.alias");
    createWith(path, schema, "pinned"); // snapshot 2
    IndexAlias.set(alias, path, "2", false);
    dev.strata.core.IndexOptions keepTwo =
        dev.strata.core.IndexOptions.builder().retention(dev.strata.core.RetentionPolicy.keepLast(2)).build();
    try (VectorIndex index = VectorIndex.open(path, keepTwo)) {
      for (int i = 0; i < 5; i++) {
        index.upsertAll(List.of(Record.of("r" + i, new float[] {1, i, 0, 0})), VectorSource.unchecked("test vectors"));
        index.commit("more " + i);
      }
      assertThat(index.history().list()).extracting(s -> s.info().id()).as("2 is pinned, 6 and 7 the last two")
          .containsExactly(2L, 6L, 7L);
      assertThat(index.history().list().getFirst().tags()).containsExactly(IndexAlias.pinTag(alias));
    }
    try (SearcherHandle handle = SearcherHandle.openAlias(alias)) {
      assertThat(markerSeenBy(handle)).isEqualTo("pinned");
    }

    IndexAlias.set(alias, path, null, false); // follows the latest now: the pin goes
    try (VectorIndex index = VectorIndex.open(path, keepTwo)) {
      index.upsertAll(List.of(Record.of("r9", new float[] {1, 9, 0, 0})), VectorSource.unchecked("test vectors"));
      index.commit("after the repoint");
      assertThat(index.history().list()).extracting(s -> s.info().id()).containsExactly(7L, 8L);
    }
  }

  @Test
  void repointingToAnEmptyIndexNeedsForce() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path alias = dir.resolve("serving.alias");
    createWith(dir.resolve("full"), schema, "full");
    VectorIndex.create(dir.resolve("empty"), schema).close();
    IndexAlias.set(alias, dir.resolve("full"), null, false);
    assertThatThrownBy(() -> IndexAlias.set(alias, dir.resolve("empty"), null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no records");
    assertThatThrownBy(() -> IndexAlias.set(alias, dir.resolve("full"), "1", false))
        .as("the full index's first snapshot is empty too").hasMessageContaining("holds no records");
    assertThat(IndexAlias.read(alias).index()).isEqualTo(dir.resolve("full").toAbsolutePath().normalize());
    IndexAlias.set(alias, dir.resolve("empty"), null, true); // the operator's explicit choice
    assertThat(IndexAlias.read(alias).index()).isEqualTo(dir.resolve("empty").toAbsolutePath().normalize());
  }

  @Test
  void concurrentRepointsAreSerializedAndNoneIsLost() throws Exception {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Path blue = dir.resolve("blue");
    Path green = dir.resolve("green");
    createWith(blue, schema, "blue");
    createWith(green, schema, "green");
    Path alias = dir.resolve("busy.alias");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> operators = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Path target = t % 2 == 0 ? blue : green;
        operators.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            IndexAlias.set(alias, target, null, false);
          }
        }));
      }
      for (var operator : operators) {
        operator.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(IndexAlias.read(alias).generation()).as("every one of the 40 repoints counted once").isEqualTo(40);
  }

  @Test
  void anAliasCannotSendAServiceOutsideTheDirectoriesTheOperatorAllowed() throws Exception {
    IndexSchema schema = IndexSchema.builder(2, Similarity.COSINE).build();
    Path served = dir.resolve("served");
    Path elsewhere = dir.resolve("elsewhere");
    java.nio.file.Files.createDirectories(served);
    createWith(served.resolve("blue"), schema, "blue");
    createWith(elsewhere.resolve("secret"), schema, "secret");
    Path alias = served.resolve("products.alias");
    IndexAlias.set(alias, served.resolve("blue"), null, false);

    assertThatThrownBy(() -> IndexAlias.set(alias, elsewhere.resolve("secret"), null, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot point at " + elsewhere.resolve("secret"))
        .hasMessageContaining("-Dstrata.alias.roots");

    // A symbolic link inside the allowed directory that leads out of it does not get around it.
    java.nio.file.Files.createSymbolicLink(served.resolve("link"), elsewhere);
    assertThatThrownBy(() -> IndexAlias.set(alias, served.resolve("link/secret"), null, true))
        .isInstanceOf(IllegalArgumentException.class);

    // A hand-written alias file (with a valid checksum) pointing outside is refused on read.
    String body = "index=../elsewhere/secret\nsnapshot=latest\ndimension=2\nsimilarity=cosine\ngeneration=9\n"
        + "updatedAt=2026-11-28T00:00:00Z\n";
    dev.strata.core.internal.io.ChecksummedFile.write(alias, body, "index alias");
    assertThatThrownBy(() -> SearcherHandle.openAlias(alias))
        .isInstanceOf(StrataException.class).hasMessageContaining("outside the directories aliases may point into");

    System.setProperty(IndexAlias.ROOTS_PROPERTY, elsewhere.toString());
    try (SearcherHandle handle = SearcherHandle.openAlias(alias)) {
      assertThat(markerSeenBy(handle)).as("allowed once the operator adds the root").isEqualTo("secret");
    } finally {
      System.clearProperty(IndexAlias.ROOTS_PROPERTY);
    }
  }
}
