package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ModelFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFingerprintTest {
  @TempDir Path dir;

  /**
   * Pinned: the same files and settings give the same fingerprint on every run and machine. If a
   * dependency upgrade changes the model files, this fails on purpose: indexes built with the old
   * files would refuse the new ones, and the upgrade note must say so. (The digests were computed
   * independently, with Python's hashlib over the same length-prefixed parts.)
   */
  @Test
  void defaultModelsHaveStableFingerprints() {
    assertThat(DefaultModels.MINILM_L6_V2_Q.load().fingerprint().encoded())
        .isEqualTo("all-MiniLM-L6-v2-q@sha256:b28c8e39a8da46851697c56e3f75927a3b9a1e01d93303923f07f62d7f27ac37");
    assertThat(DefaultModels.MINILM_L6_V2.load().fingerprint().encoded())
        .isEqualTo("all-MiniLM-L6-v2@sha256:a3c22b642a1328fe77df584936eacb666a9ba674a2e303df3cf27281b307b543");
  }

  @Test
  void quantizedAndFp32OfTheSameModelDiffer() {
    ModelFingerprint q = DefaultModels.MINILM_L6_V2_Q.load().fingerprint();
    ModelFingerprint fp32 = DefaultModels.MINILM_L6_V2.load().fingerprint();
    assertThat(q.matches(fp32)).isFalse();
  }

  @Test
  void everyPartChangesTheFingerprint() {
    ModelBundle base = new ModelBundle("m", new byte[] {1, 2, 3}, new byte[] {4, 5}, EmbeddingSettings.SENTENCE_TRANSFORMERS);
    ModelFingerprint fp = base.fingerprint();
    assertThat(base.fingerprint()).isEqualTo(fp);
    assertThat(new ModelBundle("m", new byte[] {1, 2, 4}, new byte[] {4, 5}, base.settings()).fingerprint().matches(fp)).as("model byte").isFalse();
    assertThat(new ModelBundle("m", new byte[] {1, 2, 3}, new byte[] {4, 6}, base.settings()).fingerprint().matches(fp)).as("tokenizer byte").isFalse();
    // Moving a byte from one part to the other must not collide: parts are length-prefixed.
    assertThat(new ModelBundle("m", new byte[] {1, 2}, new byte[] {3, 4, 5}, base.settings()).fingerprint().matches(fp)).as("boundary").isFalse();
    assertThat(base.withSettings(new EmbeddingSettings(Pooling.CLS, true, 256)).fingerprint().matches(fp)).as("pooling").isFalse();
    assertThat(base.withSettings(new EmbeddingSettings(Pooling.MEAN, false, 256)).fingerprint().matches(fp)).as("normalize").isFalse();
    assertThat(base.withSettings(new EmbeddingSettings(Pooling.MEAN, true, 128)).fingerprint().matches(fp)).as("max length").isFalse();
    // The name is a label: it does not decide a match.
    assertThat(new ModelBundle("renamed", base.model(), base.tokenizer(), base.settings()).fingerprint().matches(fp)).isTrue();
  }

  @Test
  void encodedFormRoundTripsAndBadFormsAreNamed() {
    ModelFingerprint fp = DefaultModels.MINILM_L6_V2_Q.load().fingerprint();
    assertThat(ModelFingerprint.parse(fp.encoded())).isEqualTo(fp);
    assertThatThrownBy(() -> ModelFingerprint.parse("minilm-v2"))
        .hasMessageContaining("not of the form name@sha256:");
  }

  @Test
  void aModelDirectoryMustHoldBothFiles() throws Exception {
    Files.write(dir.resolve("model.onnx"), new byte[] {1});
    assertThatThrownBy(() -> DefaultModels.resolve(dir.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks tokenizer.json");
    assertThatThrownBy(() -> DefaultModels.resolve("no-such-model"))
        .hasMessageContaining("unknown model 'no-such-model'");
  }
}
