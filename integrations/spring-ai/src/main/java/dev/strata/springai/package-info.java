/**
 * Strata as a Spring AI {@code VectorStore}, embedding with Strata's model or the application's
 * {@code EmbeddingModel}.
 */
package dev.strata.springai;
