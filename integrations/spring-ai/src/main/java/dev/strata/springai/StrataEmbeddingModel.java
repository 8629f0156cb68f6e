package dev.strata.springai;

import dev.strata.core.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * A Strata {@link Embedder} (such as the in-process ONNX model, {@code dev.strata:embedder}) as a
 * Spring AI {@link EmbeddingModel}, for an application that wants the same vectors elsewhere in
 * Spring AI. A {@link StrataVectorStore} built on one embeds through the Strata embedder directly.
 *
 * <p>Request options (model, dimensions) are ignored: the embedder has one model. A document is
 * embedded by its text, as the store does. Closing stays with the embedder's owner.
 */
public final class StrataEmbeddingModel implements EmbeddingModel {
  private final Embedder embedder;

  /** Wraps {@code embedder}, which the caller keeps and closes. */
  public StrataEmbeddingModel(Embedder embedder) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  /** The Strata embedder behind this model. */
  public Embedder embedder() {
    return embedder;
  }

  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    List<float[]> vectors = embedder.embed(request.getInstructions());
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      embeddings.add(new Embedding(vectors.get(i), i));
    }
    EmbeddingResponseMetadata metadata = new EmbeddingResponseMetadata();
    metadata.setModel(embedder.fingerprint().name());
    return new EmbeddingResponse(embeddings, metadata);
  }

  @Override
  public float[] embed(Document document) {
    if (document.getText() == null) {
      throw new IllegalArgumentException("document " + document.getId() + " has no text; the Strata embedder embeds text only");
    }
    return embedder.embed(document.getText());
  }

  @Override
  public int dimensions() {
    return embedder.dimension();
  }

  @Override
  public String toString() {
    return "StrataEmbeddingModel[" + embedder.fingerprint().shortForm() + "]";
  }
}
