package dev.strata.springai;

import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

/**
 * Spring AI's own vector store tests ({@code BaseVectorStoreTests} from {@code spring-ai-test}:
 * delete by id, by filter expression and by filter string) against a real Strata index and the
 * real ONNX model.
 */
class StrataVectorStoreContractTest extends BaseVectorStoreTests {
  private static OnnxEmbedder embedder;

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() {
    embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  @Override
  protected void executeTest(Consumer<VectorStore> test) {
    try (StrataVectorStore store = StrataVectorStore.open(dir.resolve("index-" + System.nanoTime()), embedder)) {
      test.accept(store);
    }
  }
}
