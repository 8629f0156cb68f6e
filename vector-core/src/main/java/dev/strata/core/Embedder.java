package dev.strata.core;

import java.util.List;

/**
 * Turns texts into vectors. vector-core defines the contract; the embedder module implements it
 * with ONNX Runtime. Implementations are thread-safe and own native resources, hence closeable.
 */
public interface Embedder extends AutoCloseable {

  /** Components in every vector this embedder returns. */
  int dimension();

  /** The model behind the vectors: an index built with it refuses any other. */
  ModelFingerprint fingerprint();

  /** One vector per text, in the order of {@code texts}. */
  List<float[]> embed(List<String> texts);

  /** The vector of one text. */
  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  /** {@link #embed(List)} with the number of tokens read; this default cannot count them and says 0. */
  default Embeddings embedCountingTokens(List<String> texts) {
    return new Embeddings(embed(texts), 0);
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
