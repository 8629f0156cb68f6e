package dev.strata.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run alone by the surefire execution {@code without-embedder}, whose classpath lacks
 * dev.strata:embedder, ONNX Runtime and the tokenizers: what a service that embeds with its own
 * model resolves. The store must work there.
 */
class WithoutEmbedderTest {
  @TempDir
  Path dir;

  @Test
  void theStoreWorksWithNeitherTheEmbedderNorOnnxRuntimeOnTheClasspath() {
    assertThatThrownBy(() -> Class.forName("ai.onnxruntime.OrtEnvironment")).isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("dev.strata.embedder.OnnxEmbedder")).isInstanceOf(ClassNotFoundException.class);

    EmbeddingModel model = new TrigramModel();
    List<TextSegment> segments = List.of(TextSegment.from("snapshots and rollback"), TextSegment.from("sourdough starter"));
    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(model).build()) {
      store.addAll(model.embedAll(segments).content(), segments);
      Embedding query = model.embed("rollback of snapshots").content();
      List<EmbeddingMatch<TextSegment>> matches =
          store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(1).build()).matches();
      assertThat(matches).extracting(m -> m.embedded().text()).containsExactly("snapshots and rollback");
    }
  }

  /** Character trigrams hashed into 64 dimensions: a model with no native code, enough to rank these texts. */
  static final class TrigramModel implements EmbeddingModel {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      return Response.from(segments.stream().map(s -> Embedding.from(vector(s.text()))).toList());
    }

    @Override
    public String modelName() {
      return "trigram-hash-64";
    }

    @Override
    public int dimension() {
      return 64;
    }

    private static float[] vector(String text) {
      byte[] bytes = (" " + text + " ").getBytes(StandardCharsets.UTF_8);
      float[] v = new float[64];
      for (int i = 0; i + 3 <= bytes.length; i++) {
        v[Math.floorMod(bytes[i] * 961 + bytes[i + 1] * 31 + bytes[i + 2], 64)] += 1;
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(norm);
      }
      return v;
    }
  }
}
