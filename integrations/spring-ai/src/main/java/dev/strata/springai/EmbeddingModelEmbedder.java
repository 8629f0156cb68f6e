package dev.strata.springai;

import dev.strata.core.Embedder;
import dev.strata.core.ModelFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;

/**
 * A Spring AI {@link EmbeddingModel} (OpenAI, Ollama, Transformers...) as a Strata
 * {@link Embedder}. Strata cannot read a remote model's weights, so its fingerprint is the model
 * name the application declares plus the dimension: an index built with {@code
 * text-embedding-3-small} refuses a store that declares {@code text-embedding-3-large}, which is the
 * mix-up the drift guard exists for. The name must therefore change whenever the model does.
 */
final class EmbeddingModelEmbedder implements Embedder {
  private final EmbeddingModel model;
  private final String modelName;
  private final BatchingStrategy batching;
  private final int dimension;
  private final ModelFingerprint fingerprint;

  EmbeddingModelEmbedder(EmbeddingModel model, String modelName, int declaredDimension, BatchingStrategy batching) {
    this.model = Objects.requireNonNull(model, "model");
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("name the embedding model (modelName, or spring.ai.vectorstore.strata.model-name), "
          + "e.g. text-embedding-3-small: the index records it and refuses vectors from any other model");
    }
    this.modelName = modelName.strip();
    this.batching = Objects.requireNonNull(batching, "batching");
    // EmbeddingModel.dimensions() embeds a probe text when the model does not know its own size.
    this.dimension = declaredDimension > 0 ? declaredDimension : model.dimensions();
    if (dimension <= 0) {
      throw new IllegalArgumentException("embedding model " + this.modelName + " reports dimension " + dimension);
    }
    this.fingerprint = ModelFingerprint.declared(this.modelName, dimension);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<Document> documents = new ArrayList<>(texts.size());
    for (String text : texts) {
      documents.add(new Document(text));
    }
    List<float[]> vectors = model.embed(documents, EmbeddingOptions.builder().build(), batching);
    if (vectors.size() != texts.size()) {
      throw new IllegalStateException("embedding model " + modelName + " returned " + vectors.size() + " vectors for " + texts.size() + " texts");
    }
    for (int i = 0; i < vectors.size(); i++) {
      if (vectors.get(i) == null || vectors.get(i).length != dimension) {
        throw new IllegalStateException("embedding model " + modelName + " returned a vector of "
            + (vectors.get(i) == null ? "null" : vectors.get(i).length + " components") + " for text " + i
            + "; the store expects " + dimension);
      }
    }
    return vectors;
  }

  /** The application owns the model (a Spring bean, usually); nothing to release here. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "EmbeddingModelEmbedder[" + fingerprint.shortForm() + ", " + model.getClass().getSimpleName() + "]";
  }
}
