/**
 * The index itself: {@link dev.strata.core.index.VectorIndex} (an HNSW index on Lucene with
 * snapshots, validation, admission control and metrics) and {@link dev.strata.core.index.TextIndex}
 * (the same with an embedder). Above the values of {@code dev.strata.core}, which never depend on
 * it, and below the rooms that manage indexes ({@code serving}, {@code live}, {@code compaction}).
 */
package dev.strata.core.index;
