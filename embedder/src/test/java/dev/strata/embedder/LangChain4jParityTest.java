package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.strata.core.testing.Cosine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our path (DJL tokenizer, our batching and pooling) must give LangChain4j's vectors. */
class LangChain4jParityTest {
  private static OnnxEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(), EmbedderOptions.builder().device(Device.CPU).build());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }


  @Test
  void vectorsMatchLangChain4jOnAHundredVariedSentences() {
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<String> sentences = Sentences.varied();
    assertThat(sentences).hasSizeGreaterThanOrEqualTo(100);
    List<float[]> ours = embedder.embed(sentences);
    for (int i = 0; i < sentences.size(); i++) {
      String text = sentences.get(i);
      if (text.isBlank()) {
        continue; // LangChain4j refuses blank text; our own test covers it
      }
      float[] theirs = reference.embed(text).content().vector();
      assertThat(Cosine.of(ours.get(i), theirs)).as("cosine for sentence %d: %s", i, text).isGreaterThanOrEqualTo(0.9999);
    }
  }

  /**
   * LangChain4j's tokenizer.json truncates at 128 word pieces; sentence-transformers (and MTEB)
   * use 256 for this model, and so do we. Set to 128, our vector for a long text is LangChain4j's.
   */
  @Test
  void longTextsDifferOnlyByTheTruncationLength() {
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    String text = "Strata keeps every commit as a snapshot that can be searched as it was. ".repeat(15);
    float[] theirs = reference.embed(text).content().vector();
    try (OnnxEmbedder at128 =
        OnnxEmbedder.create(
            DefaultModels.MINILM_L6_V2_Q.load().withSettings(new EmbeddingSettings(Pooling.MEAN, true, 128)),
            EmbedderOptions.builder().device(Device.CPU).build())) {
      assertThat(Cosine.of(at128.embed(text), theirs)).isGreaterThanOrEqualTo(0.9999);
    }
    assertThat(Cosine.of(embedder.embed(text), theirs)).isLessThan(0.9999);
  }

  @Test
  void batchCompositionAndOrderDoNotChangeAVector() {
    List<String> sentences = Sentences.varied();
    List<float[]> alone = new ArrayList<>();
    for (String s : sentences.subList(0, 20)) {
      alone.add(embedder.embed(s));
    }
    List<String> shuffled = new ArrayList<>(sentences);
    Collections.shuffle(shuffled, new Random(3));
    List<float[]> batched = embedder.embed(shuffled);
    for (int i = 0; i < 20; i++) {
      float[] inBatch = batched.get(shuffled.indexOf(sentences.get(i)));
      assertThat(Cosine.of(alone.get(i), inBatch)).as("sentence %d", i).isGreaterThanOrEqualTo(0.99999);
    }
  }
}
