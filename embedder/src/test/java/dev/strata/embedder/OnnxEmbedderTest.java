package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.StrataException;
import dev.strata.core.testing.Cosine;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {
  private static OnnxEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      assertThat(Float.isFinite(x)).isTrue();
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void aMegabyteTextIsCutBeforeTokenizingAndGivesTheVectorOfItsReadablePrefix() {
    StringBuilder text = new StringBuilder();
    java.util.Random random = new java.util.Random(5);
    String[] words = {"index", "snapshot", "commit", "alias", "fence", "vector", "graph", "segment", "merge"};
    while (text.length() < 1 << 20) {
      text.append(words[random.nextInt(words.length)]).append(' ');
    }
    String huge = text.toString();
    String cut = embedder.cutBeforeTokenizing(huge);
    assertThat(cut.length()).isEqualTo(embedder.settings().maxSequenceLength() * OnnxEmbedder.CHARS_PER_WORD_PIECE);
    float[] whole = embedder.embed(huge);
    float[] prefix = embedder.embed(huge.substring(0, 4096)); // well past the word pieces the model reads
    assertThat(whole).as("the same pieces read, the same vector").containsExactly(prefix);
    assertThat(embedder.cutBeforeTokenizing("short")).isEqualTo("short");
  }

  @Test
  void dimensionComesFromTheModelAndDeviceIsReported() {
    assertThat(embedder.dimension()).isEqualTo(384);
    assertThat(embedder.device()).isIn(Device.CPU, Device.CUDA);
    assertThat(embedder.toString()).contains("all-MiniLM-L6-v2-q", "384d");
  }

  @Test
  void awkwardInputsGiveFiniteUnitVectors() {
    List<String> inputs =
        List.of("", "   ", "\u0000\u0001\u0007", "東京は日本の首都です。", "مرحبا بالعالم", "😀🚀", "DROP TABLE credits; --", "x".repeat(100_000));
    List<float[]> vectors = embedder.embed(inputs);
    assertThat(vectors).hasSize(inputs.size());
    for (int i = 0; i < vectors.size(); i++) {
      assertThat(vectors.get(i)).as("input %d", i).hasSize(384);
      assertThat(norm(vectors.get(i))).as("input %d", i).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void longTextsAreTruncatedNotRefused() {
    String head = "Vector indexes answer questions by meaning. ".repeat(60); // well past 256 word pieces
    float[] a = embedder.embed(head);
    float[] b = embedder.embed(head + " Anything after the limit is ignored. ".repeat(2_000));
    assertThat(Cosine.of(a, b)).isGreaterThan(0.99999);
  }

  @Test
  void similarTextsAreCloserThanUnrelatedOnes() {
    List<float[]> v =
        embedder.embed(List.of("How do I restore an index from a backup?", "Restoring the index from a saved copy", "Sourdough bread needs a starter"));
    assertThat(Cosine.of(v.get(0), v.get(1))).isGreaterThan(Cosine.of(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void closedEmbedderRefusesWork() {
    OnnxEmbedder e = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(), EmbedderOptions.builder().device(Device.CPU).build());
    e.close();
    e.close();
    assertThatThrownBy(() -> e.embed("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
  }

  /** CI machines have no GPU: forcing CUDA must fail with a message that says what is missing. */
  @Test
  void forcingCudaWithoutAGpuIsAClearError() {
    org.junit.jupiter.api.Assumptions.assumeTrue(embedder.device() == Device.CPU, "this machine has a working CUDA device");
    assertThatThrownBy(() -> OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(), EmbedderOptions.builder().device(Device.CUDA).build()))
        .isInstanceOf(StrataException.class)
        .hasMessageContaining("CUDA was asked for")
        .hasMessageContaining("CPU build") // this module's tests run on ONNX Runtime's CPU build
        .hasMessageContaining("dev.strata:embedder-gpu");
  }
}
