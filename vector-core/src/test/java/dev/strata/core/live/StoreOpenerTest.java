package dev.strata.core.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way both adapters' stores open their index. */
class StoreOpenerTest {
  @TempDir Path dir;

  private final IndexSchema schema = IndexSchema.builder(2, Similarity.EUCLIDEAN).build();

  @Test
  void exactlyOneWayToTheIndex() {
    assertThatThrownBy(() -> StoreOpener.builder().open()).hasMessageContaining("exactly one of path, alias and index");
    assertThatThrownBy(() -> StoreOpener.builder().path(dir.resolve("a")).alias(dir.resolve("b")).open())
        .hasMessageContaining("exactly one");
  }

  @Test
  void aPathWithoutAnIndexIsRefusedUnlessTheStoreCreatesOne() {
    assertThatThrownBy(() -> StoreOpener.builder().path(dir.resolve("typo")).open()).isInstanceOf(IndexNotFoundException.class);
    try (LiveIndex live = StoreOpener.builder().path(dir.resolve("idx")).createWith(() -> schema).open()) {
      live.upsertAll(List.of(Record.of("a", new float[] {1, 0})), dev.strata.core.VectorSource.UNSTATED);
    }
    try (LiveIndex reopened = StoreOpener.builder().path(dir.resolve("idx")).open()) {
      boolean found = reopened.read(index -> index.contains("a"));
      assertThat(found).isTrue();
    }
  }

  @Test
  void aFailedCheckClosesTheIndexItOpenedButNotTheCallers() {
    try (LiveIndex created = StoreOpener.builder().path(dir.resolve("idx")).createWith(() -> schema).open()) {
      assertThat(created.index().path()).isEqualTo(dir.resolve("idx"));
    }
    assertThatThrownBy(() -> StoreOpener.builder().path(dir.resolve("idx"))
        .check(index -> {
          throw new IllegalStateException("another model");
        }).open()).hasMessage("another model");
    try (VectorIndex again = VectorIndex.open(dir.resolve("idx"))) { // the writer lock was given back
      assertThat(again.schema()).isEqualTo(schema);
      assertThatThrownBy(() -> StoreOpener.builder().index(again)
          .check(index -> {
            throw new IllegalStateException("another model");
          }).open()).hasMessage("another model");
      again.upsert(Record.of("b", new float[] {0, 1})); // the caller's index stays open
      assertThat(again.commit("still open")).isNotNull();
    }
  }
}
