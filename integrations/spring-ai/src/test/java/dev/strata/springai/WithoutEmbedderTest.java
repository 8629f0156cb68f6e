package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.SchemaMismatchException;
import dev.strata.core.testing.TrigramVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * Run alone by the surefire execution {@code without-embedder}, whose classpath lacks
 * dev.strata:embedder, ONNX Runtime and the tokenizers: a Spring AI application that embeds with
 * its own model (OpenAI, Ollama...). The store must work there, its model named and guarded.
 */
class WithoutEmbedderTest {
  @TempDir
  Path dir;

  @Test
  void theStoreWorksWithASpringAiModelAndNeitherTheEmbedderNorOnnxRuntime() {
    assertThatThrownBy(() -> Class.forName("ai.onnxruntime.OrtEnvironment")).isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("dev.strata.embedder.OnnxEmbedder")).isInstanceOf(ClassNotFoundException.class);

    TrigramModel model = new TrigramModel();
    Path index = dir.resolve("index");
    try (StrataVectorStore store = StrataVectorStore.builder(model).modelName("trigram-hash-64").path(index).build()) {
      store.add(List.of(new Document("snapshots and rollback", Map.of("topic", "ops")), new Document("sourdough starter")));
      List<Document> hits = store.similaritySearch(SearchRequest.builder().query("rollback of snapshots").topK(1).build());
      assertThat(hits).extracting(Document::getText).containsExactly("snapshots and rollback");
      assertThat(model.calls).isPositive();
    }
    assertThatThrownBy(() -> StrataVectorStore.builder(model).modelName("trigram-hash-64-v2").path(index).build())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("trigram-hash-64@");
    assertThatThrownBy(() -> StrataVectorStore.builder(model).path(dir.resolve("other")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name the embedding model");
  }

  /** {@link TrigramVectors} as a model: no native code, enough to rank these texts. */
  static final class TrigramModel implements EmbeddingModel {
    int calls;

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      calls++;
      List<Embedding> embeddings = new ArrayList<>();
      for (String text : request.getInstructions()) {
        embeddings.add(new Embedding(vector(text), embeddings.size()));
      }
      return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
      return vector(document.getText());
    }

    @Override
    public int dimensions() {
      return 64;
    }

    private static float[] vector(String text) {
      return TrigramVectors.of(text, 64);
    }
  }
}
