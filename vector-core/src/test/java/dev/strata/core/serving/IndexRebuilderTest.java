package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.Hit;
import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.TextIndex;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.HashEmbedder;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexRebuilderTest {
  private static final int DIM = 24;

  @TempDir Path dir;

  /** 2,500 records over three commits with replacements and deletions: more than one batch. */
  private Path sourceIndex(Similarity similarity, boolean normalize) {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("IndexRebuilderTest"), 3000, DIM, 10);
    Path source = dir.resolve("source");
    try (VectorIndex index =
        VectorIndex.create(source, IndexSchema.builder(DIM, similarity).normalize(normalize).build())) {
      List<Record> batch = new ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        batch.add(new Record("r" + i, vectors[i], "text " + i, Map.of("n", i, "group", "g" + i % 7)));
      }
      index.upsertAll(batch);
      index.commit("first");
      for (int i = 0; i < 500; i++) {
        index.upsert(new Record("r" + i, vectors[2500 + i], "replaced " + i, Map.of("n", -i)));
      }
      for (int i = 500; i < 700; i++) {
        index.delete("r" + i);
      }
      index.commit("second");
    }
    return source;
  }

  @Test
  void aCopyHoldsExactlyTheSourceRecordsUnderTheNewSchema() {
    Path source = sourceIndex(Similarity.DOT_PRODUCT, true);
    Path target = dir.resolve("rebuilt");
    List<Long> progress = new ArrayList<>();
    IndexRebuilder.Report report = IndexRebuilder.copy(
        source, target, b -> b.encoding(VectorEncoding.INT8).hnswM(8), (done, total) -> progress.add(done));

    assertThat(report.snapshot().liveCount()).isEqualTo(2300);
    assertThat(report.snapshot().recordDigest()).isEqualTo(report.sourceSnapshot().recordDigest());
    assertThat(progress).containsExactly(1000L, 2000L, 2300L);
    try (VectorIndex src = VectorIndex.open(source, IndexOptions.builder().readOnly(true).build());
        VectorIndex copy = VectorIndex.open(target, IndexOptions.builder().readOnly(true).build())) {
      assertThat(copy.schema().encoding()).isEqualTo(VectorEncoding.INT8);
      assertThat(copy.schema().hnswM()).isEqualTo(8);
      assertThat(copy.schema().dimension()).isEqualTo(DIM);
      for (String id : List.of("r0", "r499", "r500", "r699", "r700", "r2499")) {
        assertThat(copy.get(id)).isEqualTo(src.get(id));
      }
      assertThat(copy.history().verify(Long.toString(report.snapshot().id())).sound()).isTrue();
    }
  }

  @Test
  void reembeddingMakesAnIndexForTheNewModelWithTheSameRecords() {
    Path source = sourceIndex(Similarity.COSINE, false);
    Path target = dir.resolve("green");
    ModelFingerprint model = new ModelFingerprint("model-green", "c".repeat(64));
    try (HashEmbedder embedder = new HashEmbedder(model, 12)) {
      IndexRebuilder.Report report =
          IndexRebuilder.reembed(source, target, embedder, UnaryOperator.identity(), IndexRebuilder.Progress.NONE);
      assertThat(report.reembedded()).isTrue();
      assertThat(report.snapshot().liveCount()).isEqualTo(2300);
      try (VectorIndex green = VectorIndex.open(target, IndexOptions.builder().readOnly(true).build())) {
        assertThat(green.schema().modelFingerprint()).isEqualTo(model.encoded());
        assertThat(green.schema().dimension()).isEqualTo(12);
        Record r = green.get("r3").orElseThrow();
        assertThat(r.text()).isEqualTo("replaced 3");
        assertThat(r.vector()).hasSize(12);
        assertThat(TextIndex.of(green, embedder).search("replaced 3", 1, null).hits())
            .extracting(Hit::id).containsExactly("r3");
      }
    }
  }

  @Test
  void refusedOrFailedRebuildsLeaveNothingBehind() throws Exception {
    Path source = sourceIndex(Similarity.COSINE, false);
    Path target = dir.resolve("target");
    assertThatThrownBy(() -> IndexRebuilder.copy(source, target, b -> b.modelFingerprint("other"), IndexRebuilder.Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("re-embed to change it");
    assertThat(target).doesNotExist();
    assertThatThrownBy(() -> IndexRebuilder.copy(source, source, UnaryOperator.identity(), IndexRebuilder.Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is the source itself");

    try (VectorIndex index = VectorIndex.open(source)) {
      index.upsert(Record.of("no-text", ClusteredVectors.generate(1, 1, DIM, 1)[0]));
      index.commit("a record without text");
    }
    try (HashEmbedder embedder = new HashEmbedder(new ModelFingerprint("m", "d".repeat(64)), DIM)) {
      assertThatThrownBy(() -> IndexRebuilder.reembed(source, target, embedder, UnaryOperator.identity(), IndexRebuilder.Progress.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-text'").hasMessageContaining("no text");
    }
    assertThat(target).as("a failed build removes what it wrote").doesNotExist();

    Files.createDirectories(target.resolve("something"));
    assertThatThrownBy(() -> IndexRebuilder.copy(source, target, UnaryOperator.identity(), IndexRebuilder.Progress.NONE))
        .isInstanceOf(IndexAlreadyExistsException.class);
    assertThat(target.resolve("something")).as("an existing directory is never touched").exists();
  }
}
