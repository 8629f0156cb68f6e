package dev.strata.embedder;

/** How token vectors become one sentence vector. */
public enum Pooling {
  /** Mean of the token vectors under the attention mask (sentence-transformers' default). */
  MEAN,
  /** The first token's vector ([CLS]). */
  CLS
}
