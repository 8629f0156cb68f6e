package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on raw vectors, with made-up fingerprints (the embedder module tests real models). */
class DriftGuardTest {
  private static final ModelFingerprint A = new ModelFingerprint("model-a", "a".repeat(64));
  private static final ModelFingerprint B = new ModelFingerprint("model-b", "b".repeat(64));

  @TempDir Path dir;

  private VectorIndex create(String fingerprint) {
    return VectorIndex.create(
        dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).modelFingerprint(fingerprint).build());
  }

  @Test
  void anIndexWithoutAModelTakesAnyVectors() {
    try (VectorIndex index = create(null)) {
      index.upsert(Record.of("x", new float[] {1, 2}));
      index.upsertAll(List.of(Record.of("y", new float[] {1, 2})), VectorSource.model(B));
      assertThat(index.commit("any").liveCount()).isEqualTo(2);
    }
  }

  @Test
  void aFingerprintedIndexNeedsTheSameModelOrAnExplicitOptOut() {
    try (VectorIndex index = create(A.encoded())) {
      assertThatThrownBy(() -> index.upsert(Record.of("x", new float[] {1, 2})))
          .isInstanceOf(EmbeddingDriftException.class)
          .hasMessageContaining("model-a (sha256:aaaaaaaaaaaa)")
          .hasMessageContaining("an unstated model");
      EmbeddingDriftException drift =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              EmbeddingDriftException.class,
              () -> index.upsertAll(List.of(Record.of("x", new float[] {1, 2})), VectorSource.model(B)));
      assertThat(drift.indexFingerprint()).isEqualTo(A.encoded());
      assertThat(drift.callerFingerprint()).isEqualTo(B.encoded());
      // A renamed copy of the same model is the same model: the digest decides.
      index.upsertAll(List.of(Record.of("x", new float[] {1, 2})), VectorSource.model(new ModelFingerprint("renamed", A.sha256())));
      index.upsertAll(List.of(Record.of("y", new float[] {2, 2})), VectorSource.unchecked("migrated from a verified backup"));
      assertThat(index.commit("two").liveCount()).isEqualTo(2);
    }
  }

  @Test
  void aFreeFormLabelIsComparedAsText() {
    try (VectorIndex index = create("my-model-v3")) {
      assertThatThrownBy(() -> index.upsertAll(List.of(Record.of("x", new float[] {1, 2})), VectorSource.model(A)))
          .isInstanceOf(EmbeddingDriftException.class)
          .hasMessageContaining("'my-model-v3'");
    }
  }

  @Test
  void fingerprintsValidateTheirParts() {
    assertThatThrownBy(() -> new ModelFingerprint("m", "XYZ")).hasMessageContaining("64 lower-case hex digits");
    assertThatThrownBy(() -> VectorSource.unchecked(" ")).hasMessageContaining("needs a reason");
  }
}
