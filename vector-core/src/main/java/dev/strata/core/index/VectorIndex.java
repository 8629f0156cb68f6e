package dev.strata.core.index;

import dev.strata.core.AdmissionControl;
import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexCounters;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.IngestReport;
import dev.strata.core.MetadataFilter;
import dev.strata.core.MetadataType;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.OverloadedException;
import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.RejectListener;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.internal.records.DriftGuard;
import dev.strata.core.internal.records.RecordValidator;
import dev.strata.core.internal.search.FilterQueries;
import dev.strata.core.internal.search.PinnedSearcher;
import dev.strata.core.internal.search.SnapshotSearcher;
import dev.strata.core.snapshot.IndexHistory;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.search.MatchAllDocsQuery;

/**
 * A durable HNSW vector index in one directory on local disk, embedded in the calling process.
 *
 * <p>Writes ({@link #upsert}, {@link #ingest}, {@link #delete}) are validated, then buffered;
 * {@link #commit} makes them durable as a new snapshot. Searches and {@link #get} always read the
 * latest committed snapshot, never half of a batch: a crash loses at most the uncommitted writes,
 * and a process that reopens the index sees exactly the last commit that returned. Older
 * snapshots are reached through {@link #history()}.
 *
 * <p>Thread-safe: any number of threads may search while others write. One process at a time may
 * open an index for writing (Lucene's write lock); others may open it {@linkplain
 * IndexOptions#readOnly() read-only}, and those see new commits by themselves within {@link
 * IndexOptions#refreshInterval()} (one second by default) or at once on {@link #refresh()}.
 *
 * <p>A service that writes continuously wraps the index in a {@link dev.strata.core.live.LiveIndex},
 * which commits by a {@link dev.strata.core.live.CommitPolicy} (group commit, an interval, a record
 * count) and follows an alias through a live migration.
 *
 * <pre>{@code
 * try (VectorIndex index = VectorIndex.create(dir, IndexSchema.builder(384, Similarity.COSINE).build())) {
 *   index.upsert(Record.of("doc-1", vector, "a passage"));
 *   index.commit("first batch");
 *   SearchResult result = index.search(SearchRequest.builder(query).k(5).build());
 * }
 * }</pre>
 */
public final class VectorIndex implements AutoCloseable {
  private final IndexEngine engine;
  private final IndexHistory history;
  private final IndexSearches searches;

  VectorIndex(IndexEngine engine) {
    this.engine = engine;
    this.history = new IndexHistory(new EngineSnapshotStore(engine));
    this.searches = new IndexSearches(engine, this::openLatestSnapshot);
  }

  /** Creates an index in {@code path}, which must be absent or an empty directory. */
  public static VectorIndex create(Path path, IndexSchema schema) {
    return create(path, schema, IndexOptions.DEFAULTS);
  }

  /** Creates an index in {@code path}, which must be absent or an empty directory. */
  public static VectorIndex create(Path path, IndexSchema schema, IndexOptions options) {
    return new VectorIndex(EngineOpening.create(path, schema, options));
  }

  /** Opens an existing index for reading and writing; its schema is read from the index. */
  public static VectorIndex open(Path path) {
    return open(path, IndexOptions.DEFAULTS);
  }

  /** Opens an existing index; its schema is read from the index. */
  public static VectorIndex open(Path path, IndexOptions options) {
    return new VectorIndex(EngineOpening.open(path, options));
  }

  /**
   * Opens the index at {@code path}, creating it with {@code schema} if there is none. An existing
   * index whose schema differs in any field is refused with a {@link SchemaMismatchException}.
   */
  public static VectorIndex openOrCreate(Path path, IndexSchema schema, IndexOptions options) {
    if (!EngineOpening.looksLikeIndex(path)) {
      return create(path, schema, options);
    }
    VectorIndex index = open(path, options);
    List<String> differences = schema.differences(index.schema());
    if (!differences.isEmpty()) {
      index.close();
      throw new SchemaMismatchException(path, differences);
    }
    return index;
  }

  /** The index directory. */
  public Path path() {
    return engine.path();
  }

  /** The schema the index was created with. */
  public IndexSchema schema() {
    return engine.schema();
  }

  /** The options this handle was opened with. */
  public IndexOptions options() {
    return engine.options();
  }

  /** Validates and buffers one record; replaces any record with the same id once committed. */
  public void upsert(Record record) {
    upsertAll(List.of(record));
  }

  /** {@link #upsertAll(Collection, VectorSource)} for an index without a model fingerprint. */
  public void upsertAll(Collection<Record> records) {
    upsertAll(records, VectorSource.UNSTATED);
  }

  /**
   * Validates every record, then buffers them all. If any record is invalid, none is buffered and
   * the {@link RecordValidationException} names the first bad one. A later record with the same id
   * as an earlier one in the batch wins.
   *
   * @param source the model the vectors come from; an index with a model fingerprint refuses
   *     vectors from any other ({@link EmbeddingDriftException})
   */
  public void upsertAll(Collection<Record> records, VectorSource source) {
    engine.ingest(records, source, null, false);
  }

  /**
   * Validates every record on its own: buffers the valid ones, then tells {@code rejects} of each
   * invalid one (position, record, reason). One bad record never costs the others; a vector from
   * another model refuses the whole batch ({@link EmbeddingDriftException}), since every record
   * would fail alike. Each reject is counted in the metrics and counters like a refused write.
   */
  public IngestReport ingest(Collection<Record> records, VectorSource source, RejectListener rejects) {
    return engine.ingest(records, source, Objects.requireNonNull(rejects, "rejects"), false);
  }

  /** Buffers the deletion of {@code id}; an id that does not exist is not an error. */
  public void delete(String id) {
    deleteAll(List.of(id));
  }

  /** Buffers the deletion of every id; ids that do not exist are not an error. */
  public void deleteAll(Collection<String> ids) {
    engine.deleteIds(ids);
  }

  /**
   * Buffers the deletion of every record that matches {@code filter} now, including buffered
   * writes. The filter's fields must exist, as in a search.
   */
  public void deleteWhere(MetadataFilter filter) {
    engine.ensureOpen();
    engine.deleteMatching(FilterQueries.toQuery(Objects.requireNonNull(filter, "filter"), engine.pendingTypes()));
  }

  /**
   * Buffers the deletion of every record. Metadata field types stay as they were: they belong to
   * the index, not to its records.
   */
  public void deleteAllRecords() {
    engine.deleteMatching(new MatchAllDocsQuery());
  }

  /**
   * Makes every buffered write durable (fsync) as a new snapshot and shows it to searches.
   *
   * <p>A commit is what acknowledges writes. If a tragic error (a full disk) closed the writer since
   * the last commit, in a compaction's or a graph build's merge or in any thread's write, the writes
   * buffered until then are gone: the next commit is refused once with a {@link StrataException}
   * that says so and commits nothing; write them again, then commit.
   *
   * @param message what this snapshot is, kept in its manifest
   */
  public SnapshotInfo commit(String message) {
    return commit(message, null);
  }

  /**
   * {@link #commit(String)}, recording the SHA-256 of the dataset these writes came from (64 hex
   * digits), so a snapshot can be traced back to its source file.
   */
  public SnapshotInfo commit(String message, String sourceSha256) {
    return engine.commit(message, sourceSha256, true, true);
  }

  /** Counters as of now, buffered writes included; {@link #stats()} has those of the latest commit. */
  public IndexCounters counters() {
    return engine.counters();
  }

  /**
   * Searches the latest committed snapshot, once admitted ({@link IndexOptions#searchAdmission()}:
   * {@link OverloadedException} at once when as many searches run and wait as allowed) and within
   * the request's {@linkplain SearchRequest#timeout() timeout}.
   */
  public SearchResult search(SearchRequest request) {
    return searches.search(request);
  }

  /** The search path, for a text search whose deadline started before its embedding. */
  IndexSearches searches() {
    return searches;
  }

  /** How searches of this index are admitted now: running, queued, refused (for health checks and tests). */
  public AdmissionControl searchAdmission() {
    return searches.admission();
  }

  /**
   * A view of the latest committed snapshot, the one searches see now, sharing its open reader
   * (no new reader is opened). Close the view.
   */
  public SnapshotView openLatestSnapshot() {
    return engine.withSearcher("cannot read index " + path(), searcher -> {
      searcher.getIndexReader().incRef();
      return new SnapshotView(new PinnedSearcher(engine.searchRunner(), searcher, null), null);
    });
  }

  /** The record with {@code id} in the latest committed snapshot. */
  public Optional<Record> get(String id) {
    RecordValidator.checkId(id);
    return engine.withSearcher("cannot read record '" + id + "' from index " + path(), s -> s.get(id));
  }

  /** Whether the latest committed snapshot holds a record with {@code id}. */
  public boolean contains(String id) {
    RecordValidator.checkId(id);
    return engine.withSearcher("cannot read record '" + id + "' from index " + path(), s -> s.contains(id));
  }

  /** The latest snapshot this handle searches. */
  public SnapshotInfo latestSnapshot() {
    return engine.withSearcher("cannot read index " + path(), SnapshotSearcher::snapshot);
  }

  /**
   * Refuses a model other than the one this index was built with: {@link EmbeddingDriftException}
   * for another fingerprint, {@link IllegalArgumentException} for another dimension. An index that
   * does not record its model accepts any fingerprint of its dimension.
   */
  public void requireModel(ModelFingerprint model, int dimension, String what) {
    new DriftGuard(path(), schema().modelFingerprint()).check(model, what);
    if (dimension != schema().dimension()) {
      throw new IllegalArgumentException("model " + model.shortForm() + " makes " + dimension + "-d vectors, index "
          + path() + " holds " + schema().dimension() + "-d");
    }
  }

  /** Every metadata field the latest snapshot's records use, with its type. */
  public Map<String, MetadataType> metadataFields() {
    return engine.withSearcher("cannot read index " + path(), s -> s.metadataTypes().asMap());
  }

  /** Picks up commits made since the last refresh, e.g. by a writer in another process. */
  public SnapshotInfo refresh() {
    engine.refresh();
    return latestSnapshot();
  }

  /** Counts and sizes of the latest committed snapshot. */
  public IndexStats stats() {
    return engine.stats();
  }

  /**
   * Builds now, on this thread, the HNSW graph of what a bulk load ({@link
   * IndexOptions.Builder#bulkLoadRecords}) wrote without one, so that the next commit holds the
   * load with its graph as one snapshot, instead of the commit starting a background build that
   * commits a second one. For a caller that commits a load at its end and can wait (a batch job, a
   * CLI ingest); searches see the load only from that commit on. Buffered records are flushed, the
   * segments without their graph merged into one; nothing is committed. The load ends here: records
   * written after it count towards a new one. Returns how many segments were merged (0: none lacked
   * a graph).
   */
  public int buildGraphs() {
    engine.ensureOpen();
    return engine.merges().buildGraphsNow();
  }

  /**
   * Waits at most {@code timeout} for the graph builds that bulk loads committed so far started
   * ({@link IndexOptions.Builder#bulkLoadRecords}): afterwards their records are searched through
   * one HNSW graph, not exhaustively. Returns whether none runs any more; at once when none ran.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitGraphBuild(java.time.Duration timeout) throws InterruptedException {
    engine.ensureOpen();
    return engine.awaitGraphBuild(timeout);
  }

  /**
   * The index's kept snapshots: list, open (time travel), tag, roll back, verify, export. Rarely
   * needed by a service; operators reach it through {@code index-admin snapshot}.
   */
  public IndexHistory history() {
    engine.ensureOpen();
    return history;
  }

  IndexEngine engine() { // for IndexEngines
    return engine;
  }

  /**
   * Releases the writer and readers. Writes not yet committed are discarded (and a warning says
   * so): durability is what {@link #commit} promises, never a side effect of close. Idempotent.
   */
  @Override
  public void close() {
    try {
      searches.close();
    } finally {
      engine.close();
    }
  }

  @Override
  public String toString() {
    IndexSchema schema = schema();
    return "VectorIndex[" + path() + ", " + schema.dimension() + "d " + schema.similarity().externalName()
        + " " + schema.encoding().externalName() + (options().readOnly() ? ", read-only" : "")
        + (engine.isClosed() ? ", closed" : ", snapshot " + engine.headId()) + "]";
  }
}
