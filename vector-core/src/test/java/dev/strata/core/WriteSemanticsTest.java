package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteSemanticsTest {
  @TempDir Path dir;
  private VectorIndex index;

  @BeforeEach
  void open() {
    index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(3, Similarity.COSINE).build());
  }

  @AfterEach
  void close() {
    index.close();
  }

  @Test
  void upsertReplacesTheWholeRecord() {
    index.upsert(new Record("a", new float[] {1, 0, 0}, "old", Map.of("tag", "x", "n", 1)));
    index.commit("v1");
    index.upsert(new Record("a", new float[] {0, 1, 0}, "new", Map.of("n", 2)));
    SnapshotInfo snapshot = index.commit("v2");

    assertThat(snapshot.liveCount()).isEqualTo(1);
    Record a = index.get("a").orElseThrow();
    assertThat(a.vector()).containsExactly(0, 1, 0);
    assertThat(a.text()).isEqualTo("new");
    assertThat(a.metadata()).isEqualTo(Map.of("n", 2.0));
    SearchResult result = index.search(SearchRequest.builder(new float[] {0, 1, 0}).k(5).build());
    assertThat(result.hits()).extracting(Hit::id).containsExactly("a");
    assertThat(result.hits().get(0).score()).isEqualTo(1.0f);
  }

  @Test
  void deleteRemovesAndUnknownIdsAreNotAnError() {
    index.upsertAll(
        List.of(Record.of("a", new float[] {1, 0, 0}), Record.of("b", new float[] {0, 1, 0})));
    index.commit("two");
    index.deleteAll(List.of("a", "never-existed"));
    SnapshotInfo snapshot = index.commit("deleted a");

    assertThat(snapshot.liveCount()).isEqualTo(1);
    assertThat(index.get("a")).isEmpty();
    assertThat(index.contains("b")).isTrue();
    assertThat(index.search(SearchRequest.builder(new float[] {1, 0, 0}).build()).hits())
        .extracting(Hit::id)
        .containsExactly("b");
    assertThat(index.stats().deletedDocs() + index.stats().docs()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void laterRecordInABatchWinsForTheSameId() {
    index.upsertAll(
        List.of(
            Record.of("dup", new float[] {1, 0, 0}, "first"),
            Record.of("dup", new float[] {0, 0, 1}, "second")));
    assertThat(index.commit("batch").liveCount()).isEqualTo(1);
    assertThat(index.get("dup").orElseThrow().text()).isEqualTo("second");
  }

  @Test
  void snapshotsChainByParentAndCarryTheMessage() {
    SnapshotInfo created = index.latestSnapshot();
    assertThat(created.id()).isEqualTo(1);
    assertThat(created.message()).isEqualTo("create index");
    index.upsert(Record.of("a", new float[] {1, 1, 0}));
    SnapshotInfo second = index.commit("add a");
    assertThat(second.id()).isEqualTo(2);
    assertThat(second.parentId()).isEqualTo(1);
    assertThat(second.createdAt()).isAfterOrEqualTo(created.createdAt());
    SearchResult result = index.search(SearchRequest.builder(new float[] {1, 1, 0}).build());
    assertThat(result.snapshotId()).isEqualTo(2);
  }

  @Test
  void statsDescribeTheLatestSnapshot() {
    for (int i = 0; i < 5; i++) {
      index.upsert(new Record("r" + i, new float[] {1, i, 0}, null, Map.of("n", i)));
    }
    index.commit("five");
    IndexStats stats = index.stats();
    assertThat(stats.docs()).isEqualTo(5);
    assertThat(stats.segments()).isEqualTo(1);
    assertThat(stats.bytes()).isPositive();
    assertThat(stats.schema().dimension()).isEqualTo(3);
    assertThat(stats.snapshot().message()).isEqualTo("five");
    assertThat(index.metadataFields()).isEqualTo(stats.metadataFields());
  }

  @Test
  void emptyIndexSearchReturnsNoHits() {
    SearchResult result = index.search(SearchRequest.builder(new float[] {1, 0, 0}).build());
    assertThat(result.hits()).isEmpty();
    assertThat(result.snapshotId()).isEqualTo(1);
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsAClearError() {
    index.close();
    index.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.get("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }
}
