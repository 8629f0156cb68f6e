package dev.strata.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.strata.core.Embedder;
import dev.strata.core.Embeddings;
import dev.strata.core.ModelFingerprint;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Strata's in-process ONNX embedder as a LangChain4j {@link EmbeddingModel}. Its {@link
 * #fingerprint()} is what a {@link StrataEmbeddingStore} built with it records in the index and
 * checks on every write and query, so documents and questions can never come from two models.
 *
 * <p>Thread-safe. Closing it closes the embedder only if this model created it ({@link
 * #defaultModel()}); one passed to {@link #of} stays the caller's to close.
 */
public final class StrataEmbeddingModel implements EmbeddingModel, AutoCloseable {
  private final Embedder embedder;
  private final boolean owned;

  private StrataEmbeddingModel(Embedder embedder, boolean owned) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.owned = owned;
  }

  /** Wraps an embedder the caller keeps ownership of. */
  public static StrataEmbeddingModel of(Embedder embedder) {
    return new StrataEmbeddingModel(embedder, false);
  }

  /** all-MiniLM-L6-v2 (quantized), shipped in the embedder's jar; closed with this model. */
  public static StrataEmbeddingModel defaultModel() {
    return new StrataEmbeddingModel(OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load()), true);
  }

  /** The model's fingerprint, which a store built with this model records and checks. */
  public ModelFingerprint fingerprint() {
    return embedder.fingerprint();
  }

  Embedder embedder() {
    return embedder;
  }

  /** Embeds the segments' texts; the response's token usage counts the word pieces the model read. */
  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    List<String> texts = new ArrayList<>(segments.size());
    for (TextSegment segment : segments) {
      texts.add(segment.text());
    }
    Embeddings vectors = embedder.embedCountingTokens(texts);
    List<Embedding> embeddings = new ArrayList<>(vectors.vectors().size());
    for (float[] v : vectors.vectors()) {
      embeddings.add(Embedding.from(v));
    }
    // Input tokens only: an embedding model produces no output tokens.
    return Response.from(embeddings, new TokenUsage(Math.toIntExact(vectors.tokens())));
  }

  @Override
  public int dimension() {
    return embedder.dimension();
  }

  @Override
  public String modelName() {
    return embedder.fingerprint().name();
  }

  @Override
  public void close() {
    if (owned) {
      embedder.close();
    }
  }

  @Override
  public String toString() {
    return "StrataEmbeddingModel[" + embedder.fingerprint().shortForm() + "]";
  }
}
