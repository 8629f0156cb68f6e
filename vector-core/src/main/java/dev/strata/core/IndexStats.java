package dev.strata.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an index holds and what it costs on disk, as of its latest snapshot. Immutable; Strata
 * makes these ({@link dev.strata.core.index.VectorIndex#stats()}), so new figures can join without breaking callers.
 */
public final class IndexStats {
  private final long docs;
  private final long deletedDocs;
  private final int segments;
  private final int graphlessSegments;
  private final boolean graphBuildRunning;
  private final long bytes;
  private final IndexSchema schema;
  private final SnapshotInfo snapshot;
  private final Map<String, MetadataType> metadataFields;
  private final IndexCounters counters;

  private IndexStats(Builder b) {
    this.docs = b.docs;
    this.deletedDocs = b.deletedDocs;
    this.segments = b.segments;
    this.graphlessSegments = b.graphlessSegments;
    this.graphBuildRunning = b.graphBuildRunning;
    this.bytes = b.bytes;
    this.schema = Objects.requireNonNull(b.schema, "schema");
    this.snapshot = Objects.requireNonNull(b.snapshot, "snapshot");
    this.metadataFields = Collections.unmodifiableMap(new TreeMap<>(b.metadataFields));
    this.counters = Objects.requireNonNull(b.counters, "counters");
  }

  /** A builder of statistics (the index fills it). */
  public static Builder builder() {
    return new Builder();
  }

  /** Live records. */
  public long docs() {
    return docs;
  }

  /** Records deleted or replaced but still on disk until a merge drops them. */
  public long deletedDocs() {
    return deletedDocs;
  }

  /** Lucene segments, each with its own HNSW graph that a search visits. */
  public int segments() {
    return segments;
  }

  /**
   * Segments flushed without their HNSW graph (a bulk load, {@link IndexOptions#deferGraphs()})
   * and not merged since: searches score their vectors exhaustively until a graph build or a
   * compaction builds their graph.
   */
  public int graphlessSegments() {
    return graphlessSegments;
  }

  /**
   * Whether a bulk load's graph build runs now or waits to ({@link
   * IndexOptions.Builder#bulkLoadRecords}); its snapshot then follows this one.
   */
  public boolean graphBuildRunning() {
    return graphBuildRunning;
  }

  /** Bytes of every file in the index directory. */
  public long bytes() {
    return bytes;
  }

  /** The schema of the index described. */
  public IndexSchema schema() {
    return schema;
  }

  /** The latest snapshot. */
  public SnapshotInfo snapshot() {
    return snapshot;
  }

  /** Every metadata field the snapshot's records use, with its type, sorted by name. */
  public Map<String, MetadataType> metadataFields() {
    return metadataFields;
  }

  /** The index's lifetime counters as that snapshot recorded them. */
  public IndexCounters counters() {
    return counters;
  }

  /** Deleted records as a share of all records on disk (live plus deleted), 0 when empty. */
  public double deletedRatio() {
    long total = docs + deletedDocs;
    return total == 0 ? 0 : (double) deletedDocs / total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexStats s && docs == s.docs && deletedDocs == s.deletedDocs && segments == s.segments
        && graphlessSegments == s.graphlessSegments && graphBuildRunning == s.graphBuildRunning && bytes == s.bytes && schema.equals(s.schema)
        && snapshot.equals(s.snapshot) && metadataFields.equals(s.metadataFields) && counters.equals(s.counters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(docs, deletedDocs, segments, graphlessSegments, graphBuildRunning, bytes, schema, snapshot, metadataFields, counters);
  }

  @Override
  public String toString() {
    return "IndexStats[docs=" + docs + ", deletedDocs=" + deletedDocs + ", segments=" + segments
        + ", graphlessSegments=" + graphlessSegments + ", graphBuildRunning=" + graphBuildRunning + ", bytes=" + bytes + ", snapshot=" + snapshot.id() + "]";
  }

  /** Collects the figures; Strata's own code fills it. */
  public static final class Builder {
    private long docs;
    private long deletedDocs;
    private int segments;
    private int graphlessSegments;
    private boolean graphBuildRunning;
    private long bytes;
    private IndexSchema schema;
    private SnapshotInfo snapshot;
    private Map<String, MetadataType> metadataFields = Map.of();
    private IndexCounters counters = IndexCounters.ZERO;

    private Builder() {}

    /** Live records. */
    public Builder docs(long docs) {
      this.docs = docs;
      return this;
    }

    /** Records deleted but not yet merged away. */
    public Builder deletedDocs(long deletedDocs) {
      this.deletedDocs = deletedDocs;
      return this;
    }

    /** Segments in the latest snapshot. */
    public Builder segments(int segments) {
      this.segments = segments;
      return this;
    }

    /** Whether a graph build runs or waits to. */
    public Builder graphBuildRunning(boolean graphBuildRunning) {
      this.graphBuildRunning = graphBuildRunning;
      return this;
    }

    /** Segments without the HNSW graph they should have (bulk loads, deferred graphs). */
    public Builder graphlessSegments(int graphlessSegments) {
      this.graphlessSegments = graphlessSegments;
      return this;
    }

    /** Bytes of the latest snapshot's files. */
    public Builder bytes(long bytes) {
      this.bytes = bytes;
      return this;
    }

    /** The index's schema. */
    public Builder schema(IndexSchema schema) {
      this.schema = schema;
      return this;
    }

    /** The latest snapshot. */
    public Builder snapshot(SnapshotInfo snapshot) {
      this.snapshot = snapshot;
      return this;
    }

    /** Metadata fields in use and their types. */
    public Builder metadataFields(Map<String, MetadataType> metadataFields) {
      this.metadataFields = metadataFields;
      return this;
    }

    /** The index's operation counters. */
    public Builder counters(IndexCounters counters) {
      this.counters = counters;
      return this;
    }

    /** The statistics. */
    public IndexStats build() {
      return new IndexStats(this);
    }
  }
}
