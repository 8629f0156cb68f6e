/**
 * Strata as a LangChain4j {@code EmbeddingStore}, with Strata's in-process model as an
 * {@code EmbeddingModel}.
 */
package dev.strata.langchain4j;
