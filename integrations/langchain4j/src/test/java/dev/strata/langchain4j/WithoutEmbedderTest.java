package dev.strata.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.TrigramVectors;
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

    TrigramModel model = new TrigramModel();
    List<TextSegment> segments = List.of(TextSegment.from("snapshots and rollback"), TextSegment.from("sourdough starter"));
    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(model).build()) {
      store.addAll(model.embedAll(segments).content(), segments);
      Embedding query = model.embed("rollback of snapshots").content();
      List<EmbeddingMatch<TextSegment>> matches =
          store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(1).build()).matches();
      assertThat(matches).extracting(m -> m.embedded().text()).containsExactly("snapshots and rollback");
    }
    // initializeSchema(false): a mistyped path fails instead of serving an empty index.
    assertThatThrownBy(() -> StrataEmbeddingStore.builder().path(dir.resolve("indx")).embeddingModel(model)
        .initializeSchema(false).build()).isInstanceOf(dev.strata.core.IndexNotFoundException.class);
    assertThat(dir.resolve("indx")).doesNotExist();
    StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(model).initializeSchema(false).build().close();
    // A remote model's dimension() may cost a call: a store on an open index asks it once.
    try (VectorIndex index = VectorIndex.open(dir.resolve("index"))) {
      int before = model.dimensionCalls;
      StrataEmbeddingStore.builder().index(index).embeddingModel(model).build().close();
      assertThat(model.dimensionCalls - before).isEqualTo(1);
    }
  }

  /** {@link TrigramVectors} as a model: no native code, enough to rank these texts. */
  static final class TrigramModel implements EmbeddingModel {
    int dimensionCalls;

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
      dimensionCalls++;
      return 64;
    }

    private static float[] vector(String text) {
      return TrigramVectors.of(text, 64);
    }
  }
}
