package dev.strata.core;

import java.util.List;

/**
 * Vectors from one {@link Embedder#embedCountingTokens} call and the tokens the model read for them
 * (after truncation, special tokens included): what an adapter reports as token usage.
 *
 * @param vectors one per text, in the order of the texts
 * @param tokens tokens read in all, 0 where the embedder cannot tell
 */
public record Embeddings(List<float[]> vectors, long tokens) {
  public Embeddings {
    vectors = List.copyOf(vectors);
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must not be negative, got " + tokens);
    }
  }
}
