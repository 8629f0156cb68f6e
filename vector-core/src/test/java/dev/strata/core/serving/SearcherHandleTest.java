package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.HashEmbedder;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearcherHandleTest {
  private static final int DIM = 16;
  private static final int RECORDS = 300;

  @TempDir Path dir;

  /** Writes every record with the snapshot's marker, so a search can prove which snapshot answered. */
  private static SnapshotInfo commitMarked(VectorIndex index, float[][] vectors, String marker) {
    List<Record> batch = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      batch.add(new Record("r" + i, vectors[(i + marker.hashCode() & 0x7fffffff) % vectors.length], null,
          Map.of("marker", marker)));
    }
    index.upsertAll(batch);
    return index.commit(marker);
  }

  private static String key(Path index, long snapshot) {
    return index.toAbsolutePath().normalize() + "#" + snapshot;
  }

  /**
   * Readers search without pause while the main thread swaps between snapshots of one index and
   * between two indexes. Every result must come wholly from the snapshot its view names, no query
   * may fail, and once every view is closed only the current reader may remain open.
   */
  @Test
  void readersNeverSeeAMixedOrFailedQueryWhileSwapping() throws Exception {
    long seed = TestSeeds.seed("SearcherHandleTest");
    float[][] vectors = ClusteredVectors.generate(seed, 2 * RECORDS, DIM, 6);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    IndexSchema schema = IndexSchema.builder(DIM, Similarity.COSINE).build();
    Map<String, String> markerOf = new ConcurrentHashMap<>();
    List<String[]> targets = new ArrayList<>(); // {index, snapshot id}
    try (VectorIndex indexA = VectorIndex.create(a, schema);
        VectorIndex indexB = VectorIndex.create(b, schema)) {
      for (String marker : List.of("a1", "a2", "a3")) {
        SnapshotInfo s = commitMarked(indexA, vectors, marker);
        markerOf.put(key(a, s.id()), marker);
        targets.add(new String[] {a.toString(), Long.toString(s.id())});
      }
      for (String marker : List.of("b1", "b2")) {
        SnapshotInfo s = commitMarked(indexB, vectors, marker);
        markerOf.put(key(b, s.id()), marker);
        targets.add(new String[] {b.toString(), Long.toString(s.id())});
      }
    }

    int swaps = 120 * TestSeeds.multiplier();
    AtomicBoolean swapping = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (SearcherHandle handle = SearcherHandle.open(a)) {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Random random = new Random(seed + t);
        readers.add(pool.submit(() -> {
          int queries = 0;
          while (swapping.get() || queries < 20) {
            try (SnapshotView view = handle.acquire()) {
              String expected = markerOf.get(key(view.indexPath(), view.snapshot().id()));
              SearchResult result =
                  view.search(SearchRequest.builder(vectors[random.nextInt(vectors.length)]).k(10).build());
              assertThat(result.snapshotId()).isEqualTo(view.snapshot().id());
              assertThat(result.hits()).hasSize(10);
              assertThat(result.hits()).allSatisfy(h -> assertThat(h.metadata()).containsEntry("marker", expected));
            }
            queries++;
          }
          return queries;
        }));
      }
      Random random = new Random(seed);
      for (int i = 0; i < swaps; i++) {
        String[] target = targets.get(random.nextInt(targets.size()));
        SnapshotInfo now = handle.swapTo(Path.of(target[0]), target[1]);
        assertThat(now.id()).isEqualTo(Long.parseLong(target[1]));
        assertThat(handle.current().id()).isEqualTo(now.id());
      }
      swapping.set(false);
      int total = 0;
      for (Future<Integer> reader : readers) {
        total += reader.get(2, TimeUnit.MINUTES); // rethrows any reader's failure
      }
      assertThat(total).isGreaterThan(0);
      assertThat(handle.swapCount()).isGreaterThan(swaps / 2);
      assertThat(handle.openReaders()).as("current and standby only, once every view is closed").isBetween(1, 2);
      SnapshotView last = handle.acquire();
      handle.close();
      assertThat(handle.openReaders()).as("only the view outlives the handle's close").isEqualTo(1);
      assertThat(last.liveCount()).isEqualTo(RECORDS);
      last.close();
      last.close(); // idempotent: one view gives back one reference
      assertThat(handle.openReaders()).isZero();
      assertThatThrownBy(handle::acquire).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aViewKeepsItsSnapshotAcrossSwapsAndRefreshSeesNewCommits() throws Exception {
    float[][] vectors = ClusteredVectors.generate(3, RECORDS, DIM, 4);
    Path a = dir.resolve("a");
    try (VectorIndex index = VectorIndex.create(a, IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      SnapshotInfo first = commitMarked(index, vectors, "one");
      index.history().tag(Long.toString(first.id()), "good");
      try (SearcherHandle handle = SearcherHandle.open(a)) {
        SnapshotView old = handle.acquire();
        SnapshotInfo second = commitMarked(index, vectors, "two");
        assertThat(handle.current().id()).as("a handle moves only when told").isEqualTo(first.id());
        assertThat(handle.refresh().id()).isEqualTo(second.id());
        assertThat(old.get("r1").orElseThrow().metadata()).containsEntry("marker", "one");
        try (SnapshotView now = handle.acquire()) {
          assertThat(now.get("r1").orElseThrow().metadata()).containsEntry("marker", "two");
        }
        assertThat(handle.openReaders()).isEqualTo(2);
        old.close();
        assertThat(handle.openReaders()).isEqualTo(1);
        assertThatThrownBy(() -> old.get("r1")).isInstanceOf(IllegalStateException.class);

        assertThat(handle.swapTo("good").id()).isEqualTo(first.id());
        long swaps = handle.swapCount();
        assertThat(handle.swapTo("good").id()).isEqualTo(first.id());
        assertThat(handle.swapCount()).as("swapping to the current snapshot is a no-op").isEqualTo(swaps);
        assertThatThrownBy(() -> handle.swapTo("999"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps no snapshot 999");
        assertThat(handle.current().id()).as("a failed swap keeps the current view").isEqualTo(first.id());
      }
    }
  }

  @Test
  void swapsToAnIndexOfAnotherShapeOrModelAreRefused() {
    Path base = dir.resolve("base");
    Path wide = dir.resolve("wide");
    Path euclid = dir.resolve("euclid");
    Path otherModel = dir.resolve("other-model");
    ModelFingerprint modelA = new ModelFingerprint("model-a", "a".repeat(64));
    ModelFingerprint modelB = new ModelFingerprint("model-b", "b".repeat(64));
    createWith(base, IndexSchema.builder(DIM, Similarity.COSINE).modelFingerprint(modelA.encoded()).build(), modelA);
    createWith(wide, IndexSchema.builder(DIM * 2, Similarity.COSINE).build(), null);
    createWith(euclid, IndexSchema.builder(DIM, Similarity.EUCLIDEAN).modelFingerprint(modelA.encoded()).build(), null);
    createWith(otherModel, IndexSchema.builder(DIM, Similarity.COSINE).modelFingerprint(modelB.encoded()).build(), modelB);

    try (HashEmbedder embedderA = new HashEmbedder(modelA, DIM);
        HashEmbedder embedderB = new HashEmbedder(modelB, DIM);
        SearcherHandle handle = SearcherHandle.open(base, null, embedderA)) {
      long before = handle.current().id();
      assertThatThrownBy(() -> handle.swapTo(wide, null))
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("dimension: expected 16, actual 32");
      assertThatThrownBy(() -> handle.swapTo(euclid, null))
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("similarity");
      assertThatThrownBy(() -> handle.swapTo(otherModel, null))
          .isInstanceOf(EmbeddingDriftException.class).hasMessageContaining("model-b");
      assertThatThrownBy(() -> handle.swapTo(otherModel, null, embedderA))
          .isInstanceOf(EmbeddingDriftException.class);
      assertThat(handle.indexPath()).isEqualTo(base.toAbsolutePath().normalize());
      assertThat(handle.current().id()).isEqualTo(before);
      assertThat(handle.openReaders()).as("refused swaps close what they opened").isEqualTo(1);

      // Blue/green: the new model's embedder travels with the swap, so text queries follow it.
      handle.swapTo(otherModel, null, embedderB);
      try (SnapshotView view = handle.acquire()) {
        assertThat(view.embedder()).containsSame(embedderB);
        assertThat(view.search("r7", 1, null).hits()).extracting(Hit::id).containsExactly("r7");
        assertThatThrownBy(() -> view.search(SearchRequest.builder(embedderA.embed("r7")).k(1)
                .source(VectorSource.model(modelA)).build()))
            .isInstanceOf(EmbeddingDriftException.class);
      }
    }
  }

  private static void createWith(Path path, IndexSchema schema, ModelFingerprint model) {
    try (VectorIndex index = VectorIndex.create(path, schema)) {
      if (model != null) {
        try (HashEmbedder embedder = new HashEmbedder(model, DIM)) {
          TextIndex texts = TextIndex.of(index, embedder);
          List<TextRecord> records = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            records.add(TextRecord.of("r" + i, "r" + i));
          }
          texts.upsertAll(records);
        }
      }
      index.commit("seed");
    }
  }

  @Test
  void refreshListenersHearEveryRefreshAndWhetherItSwapped() {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("listeners"), RECORDS, DIM, 8);
    Path path = dir.resolve("listened");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.EUCLIDEAN).build());
        SearcherHandle handle = SearcherHandle.open(path)) {
      commitMarked(index, vectors, "first");
      List<String> heard = new ArrayList<>();
      handle.addRefreshListener(new RefreshListener() {
        @Override
        public void beforeRefresh() {
          heard.add("before");
        }

        @Override
        public void afterRefresh(boolean swapped) {
          heard.add(swapped ? "swapped" : "unchanged");
        }
      });
      handle.refresh(); // a new commit: the handle moves
      handle.refresh(); // nothing new
      assertThat(heard).containsExactly("before", "swapped", "before", "unchanged");
      assertThatThrownBy(() -> handle.swapTo("999")).isInstanceOf(IllegalArgumentException.class);
      assertThat(heard).as("told after a failed swap too").endsWith("before", "unchanged");
    }
  }

  @Test
  void aHandleWatchesOnTheCallersExecutorAndLeavesItRunning() throws Exception {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("watch-executor"), RECORDS, DIM, 8);
    Path path = dir.resolve("watched");
    java.util.concurrent.ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.EUCLIDEAN).build())) {
      java.util.concurrent.CountDownLatch swapped = new java.util.concurrent.CountDownLatch(1);
      try (SearcherHandle handle = SearcherHandle.open(path)) {
        handle.addRefreshListener(moved -> {
          if (moved) {
            swapped.countDown();
          }
        });
        handle.watch(java.time.Duration.ofMillis(5), executor);
        SnapshotInfo committed = commitMarked(index, vectors, "watched");
        assertThat(swapped.await(30, TimeUnit.SECONDS)).as("the watch task ran on the given executor").isTrue();
        assertThat(handle.current().id()).isEqualTo(committed.id());
      }
      assertThat(executor.isShutdown()).as("the caller owns the executor").isFalse();
    } finally {
      executor.shutdownNow();
    }
  }
}
