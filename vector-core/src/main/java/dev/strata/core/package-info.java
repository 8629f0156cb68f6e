/**
 * Strata's API: {@link dev.strata.core.VectorIndex} (an HNSW index on Lucene with snapshots,
 * validation, admission control and metrics), {@link dev.strata.core.TextIndex} (the same with an
 * embedder), and the values they take and return: records, schemas, options, requests, results,
 * exceptions.
 */
package dev.strata.core;
