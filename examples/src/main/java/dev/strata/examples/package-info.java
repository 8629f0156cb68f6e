/**
 * Runnable RAG programs on Strata's public API: quick start, text search, a guarded RAG loop,
 * blue/green rollout, and LangChain4j with Strata's model or its own.
 */
package dev.strata.examples;
