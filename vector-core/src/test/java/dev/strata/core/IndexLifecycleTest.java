package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexLifecycleTest {
  @TempDir Path dir;

  @Test
  void schemaIsReadBackFromTheIndex() {
    IndexSchema schema =
        IndexSchema.builder(12, Similarity.MAX_INNER_PRODUCT)
            .encoding(VectorEncoding.INT8)
            .hnswM(8)
            .hnswBeamWidth(50)
            .modelFingerprint("sha256:abc")
            .build();
    VectorIndex.create(dir.resolve("idx"), schema).close();
    try (VectorIndex index = VectorIndex.open(dir.resolve("idx"))) {
      assertThat(index.schema()).isEqualTo(schema);
    }
  }

  @Test
  void openingWithAConflictingSchemaNamesEveryDifference() {
    VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(12, Similarity.COSINE).build()).close();
    IndexSchema other = IndexSchema.builder(384, Similarity.COSINE).hnswM(32).build();
    assertThatThrownBy(() -> VectorIndex.openOrCreate(dir.resolve("idx"), other, IndexOptions.DEFAULTS))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("dimension: expected 384, actual 12")
        .hasMessageContaining("hnswM: expected 32, actual 16")
        .satisfies(e -> assertThat(((SchemaMismatchException) e).differences()).hasSize(2));
    // The refused open released the index: it can be opened again.
    VectorIndex.open(dir.resolve("idx")).close();
  }

  @Test
  void openOrCreateCreatesOnceThenOpens() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.EUCLIDEAN).build();
    try (VectorIndex index = VectorIndex.openOrCreate(dir.resolve("idx"), schema, IndexOptions.DEFAULTS)) {
      index.upsert(Record.of("a", new float[] {1, 2, 3, 4}));
      index.commit("one");
    }
    try (VectorIndex index = VectorIndex.openOrCreate(dir.resolve("idx"), schema, IndexOptions.DEFAULTS)) {
      assertThat(index.stats().docs()).isEqualTo(1);
    }
  }

  @Test
  void createRefusesExistingIndexesAndNonEmptyDirectories() throws Exception {
    IndexSchema schema = IndexSchema.builder(4, Similarity.EUCLIDEAN).build();
    VectorIndex.create(dir.resolve("idx"), schema).close();
    assertThatThrownBy(() -> VectorIndex.create(dir.resolve("idx"), schema))
        .isInstanceOf(IndexAlreadyExistsException.class)
        .hasMessageContaining("an index exists there");
  }

  @Test
  void createRefusesANonEmptyDirectory() throws Exception {
    Files.createDirectories(dir.resolve("other"));
    Files.writeString(dir.resolve("other/notes.txt"), "keep me");
    assertThatThrownBy(() -> VectorIndex.create(dir.resolve("other"), IndexSchema.builder(4, Similarity.EUCLIDEAN).build()))
        .isInstanceOf(IndexAlreadyExistsException.class)
        .hasMessageContaining("the directory is not empty");
    assertThat(Files.readString(dir.resolve("other/notes.txt"))).isEqualTo("keep me");
  }

  @Test
  void openingSomethingThatIsNotAnIndexSaysWhat() throws Exception {
    assertThatThrownBy(() -> VectorIndex.open(dir.resolve("missing")))
        .isInstanceOf(IndexNotFoundException.class)
        .hasMessageContaining("no such directory");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> VectorIndex.open(dir.resolve("empty")))
        .isInstanceOf(IndexNotFoundException.class)
        .hasMessageContaining("holds no committed index");
  }

  @Test
  void aSecondWriterIsRefusedButReadOnlyHandlesShareTheIndex() {
    Path path = dir.resolve("idx");
    try (VectorIndex writer = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      assertThatThrownBy(() -> VectorIndex.open(path))
          .isInstanceOf(IndexLockedException.class)
          .hasMessageContaining("already open for writing");
      try (VectorIndex reader = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
        assertThatThrownBy(() -> reader.upsert(Record.of("a", new float[] {1, 1})))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("read-only");
        writer.upsert(Record.of("a", new float[] {1, 1}));
        writer.commit("a");
        assertThat(reader.contains("a")).isFalse();
        assertThat(reader.refresh().id()).isEqualTo(2);
        assertThat(reader.contains("a")).isTrue();
      }
    }
  }
}
