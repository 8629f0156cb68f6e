package dev.strata.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an index holds and what it costs on disk, as of its latest snapshot.
 *
 * @param docs live records
 * @param deletedDocs records deleted or replaced but still on disk until a merge drops them
 * @param segments Lucene segments, each with its own HNSW graph that a search visits
 * @param bytes bytes of every file in the index directory
 * @param schema the index's schema
 * @param snapshot the latest snapshot
 * @param metadataFields every metadata field the snapshot's records use, with its type
 * @param counters the index's lifetime counters as that snapshot recorded them
 * @param graphlessSegments segments flushed without their HNSW graph ({@link
 *     IndexOptions#deferGraphs}) and not merged since: searches score their vectors exhaustively
 *     until a compaction builds their graphs
 */
public record IndexStats(
    long docs,
    long deletedDocs,
    int segments,
    long bytes,
    IndexSchema schema,
    SnapshotInfo snapshot,
    Map<String, MetadataType> metadataFields,
    IndexCounters counters,
    int graphlessSegments) {
  public IndexStats {
    metadataFields = Collections.unmodifiableMap(new TreeMap<>(metadataFields));
  }

  /** Stats as they were before deferred graphs: every segment has its graph. */
  public IndexStats(
      long docs, long deletedDocs, int segments, long bytes, IndexSchema schema, SnapshotInfo snapshot,
      Map<String, MetadataType> metadataFields, IndexCounters counters) {
    this(docs, deletedDocs, segments, bytes, schema, snapshot, metadataFields, counters, 0);
  }

  /** Deleted records as a share of all records on disk (live plus deleted), 0 when empty. */
  public double deletedRatio() {
    long total = docs + deletedDocs;
    return total == 0 ? 0 : (double) deletedDocs / total;
  }
}
