package dev.strata.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's removal contract ({@code EmbeddingStoreWithRemovalIT}) against a real Strata index. */
class StrataEmbeddingStoreRemovalContractTest extends EmbeddingStoreWithRemovalIT {
  private static StrataEmbeddingModel model;

  @TempDir Path dir;
  private StrataEmbeddingStore store;

  @BeforeAll
  static void loadModel() {
    model = StrataEmbeddingModel.defaultModel();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Override
  protected EmbeddingStore<TextSegment> embeddingStore() {
    if (store == null) {
      store = StrataEmbeddingStore.builder().path(dir.resolve("index")).embeddingModel(model).build();
    }
    return store;
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return model;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
