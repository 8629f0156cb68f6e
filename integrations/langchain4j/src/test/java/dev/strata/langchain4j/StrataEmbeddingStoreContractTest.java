package dev.strata.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's own contract for stores with metadata filtering ({@code EmbeddingStoreIT}, its
 * base {@code EmbeddingStoreWithoutMetadataIT}, and {@code EmbeddingStoreWithFilteringIT}, from the
 * {@code langchain4j-core} tests jar), run against a real Strata index on disk with the real ONNX
 * model. Each test gets a fresh index.
 */
class StrataEmbeddingStoreContractTest extends EmbeddingStoreWithFilteringIT {
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

  /** Strata translates containsString to a substring filter, so the contains cases run too. */
  @Override
  protected boolean supportsContains() {
    return true;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
