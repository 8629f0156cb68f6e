package dev.strata.core;

import dev.strata.core.internal.Codecs;
import dev.strata.core.internal.CommitData;
import dev.strata.core.internal.CompactionOnlyMergePolicy;
import dev.strata.core.internal.GraphBuildingMergePolicy;
import dev.strata.core.internal.GraphlessSegments;
import dev.strata.core.internal.CountingDirectory;
import dev.strata.core.internal.FilterQueries;
import dev.strata.core.internal.FullText;
import dev.strata.core.internal.IndexUpgrade;
import dev.strata.core.internal.LuceneDocuments;
import dev.strata.core.internal.MetadataTypes;
import dev.strata.core.internal.PersistentCounters;
import dev.strata.core.internal.RecordDigests;
import dev.strata.core.internal.RecordValidator;
import dev.strata.core.internal.RetentionDeletionPolicy;
import dev.strata.core.internal.SnapshotArchive;
import dev.strata.core.internal.SnapshotCatalog;
import dev.strata.core.internal.SnapshotSearcher;
import dev.strata.core.internal.SnapshotVerifier;
import dev.strata.core.internal.StrataMergeScheduler;
import dev.strata.core.internal.TagCatalog;
import dev.strata.core.internal.ValidatedRecord;
import dev.strata.core.monitor.RetrievalMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.InfoStream;
import org.apache.lucene.util.PrintStreamInfoStream;

/**
 * A durable HNSW vector index in one directory on local disk, embedded in the calling process.
 *
 * <p>Writes ({@link #upsert}, {@link #delete}) are validated, then buffered; {@link #commit} makes
 * them durable as a new snapshot. Searches and {@link #get} always read the latest committed
 * snapshot, never half of a batch: a crash loses at most the uncommitted writes, and a process
 * that reopens the index sees exactly the last commit that returned.
 *
 * <p>Thread-safe: any number of threads may search while others write. One process at a time may
 * open an index for writing (Lucene's write lock); others may open it {@linkplain
 * IndexOptions#readOnly() read-only} and {@link #refresh()} to see new commits.
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
  private static final System.Logger LOG = System.getLogger(VectorIndex.class.getName());
  private static final int MAX_MESSAGE_CHARS = 4096;
  static final int SEGMENTS_PER_TIER = 5;

  private final Path path;
  private final IndexSchema schema;
  private final IndexOptions options;
  private final Directory directory;
  private final CountingDirectory writerDirectory; // the writer's I/O, counted for compaction reports
  private volatile IndexWriter writer; // null when read-only; replaced by rollbackTo
  private final SearcherManager searchers;
  private final RecordValidator validator;
  private final RecordValidator copyValidator; // for vectors that an index already normalised
  private final VectorSimilarityFunction luceneSimilarity;
  private final DriftGuard driftGuard;
  private final SnapshotSearch snapshotSearch;
  private final RecordDigests digests = new RecordDigests();
  private final SnapshotCatalog catalog;
  private final SnapshotCatalog writerCatalog;

  /** Writes share it, commit takes it alone: a commit never records half of a batch. */
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

  /** Guards validation plus type registration, so two writers cannot give a field two types. */
  private final Object typesLock = new Object();

  private volatile MetadataTypes pendingTypes; // committed types plus those of buffered writes
  private SnapshotInfo head; // guarded by commitLock's write lock
  private volatile boolean closed;
  private final IndexMetrics metrics;
  private final PersistentCounters counters;

  private VectorIndex(Path path, Directory directory, IndexOptions options) throws IOException {
    this.path = path;
    this.directory = directory;
    this.options = options;
    Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
    if (!CommitData.isStrataCommit(data)) {
      throw new IndexNotFoundException(
          path, "a Lucene index, but not a Strata one (its commit has no Strata schema)");
    }
    this.schema = CommitData.schema(data);
    this.head = CommitData.snapshot(data);
    this.pendingTypes = CommitData.metadataTypes(data);
    this.counters = PersistentCounters.from(data);
    this.validator = new RecordValidator(schema, options.maxTextBytes());
    this.copyValidator = new RecordValidator(schema.toBuilder().normalize(false).build(), Integer.MAX_VALUE);
    this.luceneSimilarity = LuceneDocuments.luceneSimilarity(schema.similarity());
    this.driftGuard = new DriftGuard(path, schema.modelFingerprint());
    this.snapshotSearch = new SnapshotSearch(path, schema, driftGuard);
    this.catalog = new SnapshotCatalog(path, directory);
    this.writerDirectory = new CountingDirectory(directory);
    this.writerCatalog = new SnapshotCatalog(path, writerDirectory);
    this.writer = options.readOnly() ? null : openWriter(path, writerDirectory, schema, options, null);
    try {
      this.searchers = new SearcherManager(directory, new SnapshotSearcherFactory());
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        writer.rollback();
      }
      throw e;
    }
    this.metrics = IndexMetrics.of(options.meterRegistry(), this);
  }

  /** Creates an index in {@code path}, which must be absent or an empty directory. */
  public static VectorIndex create(Path path, IndexSchema schema) {
    return create(path, schema, IndexOptions.DEFAULTS);
  }

  /** Creates an index in {@code path}, which must be absent or an empty directory. */
  public static VectorIndex create(Path path, IndexSchema schema, IndexOptions options) {
    if (options.readOnly()) {
      throw new IllegalArgumentException("cannot create an index read-only");
    }
    try {
      if (Files.exists(path)) {
        if (!Files.isDirectory(path)) {
          throw new IndexAlreadyExistsException(path, "it is a file");
        }
        try (Stream<Path> entries = Files.list(path)) {
          if (entries.findAny().isPresent()) {
            throw new IndexAlreadyExistsException(
                path, looksLikeIndex(path) ? "an index exists there" : "the directory is not empty");
          }
        }
      }
      Files.createDirectories(path);
      Directory directory = FSDirectory.open(path);
      try {
        IndexWriterConfig config =
            writerConfig(path, schema, options).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (IndexWriter w = new IndexWriter(directory, config)) {
          SnapshotInfo first =
              new SnapshotInfo(1, 0, Instant.now(), 0, "create index", RecordDigests.format(0), null);
          PersistentCounters counters = PersistentCounters.from(Map.of());
          counters.committing();
          w.setLiveCommitData(counters.writeTo(CommitData.encode(schema, first, MetadataTypes.EMPTY)).entrySet());
          w.commit();
        }
        return new VectorIndex(path, directory, options);
      } catch (IOException | RuntimeException e) {
        directory.close();
        throw e;
      }
    } catch (IOException e) {
      throw failure("cannot create index at " + path, e);
    }
  }

  /** Opens an existing index for reading and writing; its schema is read from the index. */
  public static VectorIndex open(Path path) {
    return open(path, IndexOptions.DEFAULTS);
  }

  /** Opens an existing index; its schema is read from the index. */
  public static VectorIndex open(Path path, IndexOptions options) {
    if (!Files.isDirectory(path)) {
      throw new IndexNotFoundException(path, "no such directory");
    }
    try {
      Directory directory = FSDirectory.open(path);
      try {
        if (!DirectoryReader.indexExists(directory)) {
          throw new IndexNotFoundException(path, "the directory holds no committed index");
        }
        return new VectorIndex(path, directory, options);
      } catch (IOException | RuntimeException e) {
        directory.close();
        throw e;
      }
    } catch (CorruptIndexException | NoSuchFileException | java.io.EOFException e) {
      throw new IndexDamagedException(path, e);
    } catch (IOException e) {
      throw failure("cannot open index at " + path, e);
    }
  }

  /**
   * Opens the index at {@code path}, creating it with {@code schema} if there is none. An existing
   * index whose schema differs in any field is refused with a {@link SchemaMismatchException}.
   */
  public static VectorIndex openOrCreate(Path path, IndexSchema schema, IndexOptions options) {
    if (!looksLikeIndex(path)) {
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

  public Path path() {
    return path;
  }

  public IndexSchema schema() {
    return schema;
  }

  public IndexOptions options() {
    return options;
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
    ensureWritable();
    try {
      driftGuard.check(source, "upsert");
    } catch (EmbeddingDriftException e) {
      metrics.rejected("model_drift");
      counters.rejected();
      throw e;
    }
    write(records, validator);
  }

  /**
   * Buffers records read from another index of the same model ({@link IndexRebuilder}): validated
   * like any write, but vectors are kept bit for bit (not normalised again), so the copy's record
   * digest can prove it equal to the original.
   */
  void upsertCopies(Collection<Record> records) {
    ensureWritable();
    write(records, copyValidator);
  }

  private void write(Collection<Record> records, RecordValidator validator) {
    commitLock.readLock().lock();
    try {
      List<ValidatedRecord> valid;
      try {
        valid = validateAndRegister(records, validator);
      } catch (RecordValidationException e) {
        metrics.rejected(e.rule().name());
        counters.rejected();
        throw e;
      }
      for (ValidatedRecord record : valid) {
        writer.updateDocument(
            LuceneDocuments.idTerm(record.id()),
            LuceneDocuments.toDocument(record, luceneSimilarity, schema.fullText()));
      }
      metrics.ingested(valid.size());
      counters.upserted(valid.size());
    } catch (IOException e) {
      throw failure("cannot write to index " + path, e);
    } finally {
      commitLock.readLock().unlock();
    }
  }

  private List<ValidatedRecord> validateAndRegister(Collection<Record> records, RecordValidator validator) {
    synchronized (typesLock) {
      MetadataTypes types = pendingTypes;
      List<ValidatedRecord> valid = new ArrayList<>(records.size());
      for (Record record : records) {
        ValidatedRecord v = validator.validate(record, types);
        types = types.with(v.fieldTypes());
        valid.add(v);
      }
      pendingTypes = types; // only once the whole batch passed
      return valid;
    }
  }

  /** Buffers the deletion of {@code id}; an id that does not exist is not an error. */
  public void delete(String id) {
    deleteAll(List.of(id));
  }

  /** Buffers the deletion of every id; ids that do not exist are not an error. */
  public void deleteAll(Collection<String> ids) {
    ensureWritable();
    Term[] terms = new Term[ids.size()];
    int i = 0;
    for (String id : ids) {
      RecordValidator.checkId(id);
      terms[i++] = LuceneDocuments.idTerm(id);
    }
    delete(w -> w.deleteDocuments(terms));
    counters.deleteRequested(terms.length);
  }

  /**
   * Buffers the deletion of every record that matches {@code filter} now, including buffered
   * writes. The filter's fields must exist, as in a search.
   */
  public void deleteWhere(MetadataFilter filter) {
    ensureWritable();
    deleteMatching(FilterQueries.toQuery(Objects.requireNonNull(filter, "filter"), pendingTypes));
  }

  /**
   * Buffers the deletion of every record. Metadata field types stay as they were: they belong to
   * the index, not to its records.
   */
  public void deleteAllRecords() {
    ensureWritable();
    deleteMatching(new MatchAllDocsQuery());
  }

  private void deleteMatching(Query query) {
    delete(w -> w.deleteDocuments(query));
    counters.deleteRequested(1);
  }

  private interface WriterCall {
    void apply(IndexWriter writer) throws IOException;
  }

  /** A deletion under the commit lock's read side, so no commit splits it. */
  private void delete(WriterCall deletion) {
    commitLock.readLock().lock();
    try {
      deletion.apply(writer);
    } catch (IOException e) {
      throw failure("cannot delete from index " + path, e);
    } finally {
      commitLock.readLock().unlock();
    }
  }

  /**
   * Makes every buffered write durable (fsync) as a new snapshot and shows it to searches.
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
    return commit(message, sourceSha256, true);
  }

  /** {@link #commit(String, String)}; without {@code applyRetention}, this commit deletes no snapshot. */
  SnapshotInfo commit(String message, String sourceSha256, boolean applyRetention) {
    ensureWritable();
    if (sourceSha256 != null && !sourceSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sourceSha256 must be 64 lower-case hex digits, got '" + sourceSha256 + "'");
    }
    String text = message == null ? "" : message;
    if (text.length() > MAX_MESSAGE_CHARS) {
      throw new IllegalArgumentException(
          "commit message is " + text.length() + " chars, limit is " + MAX_MESSAGE_CHARS);
    }
    commitLock.writeLock().lock();
    try {
      long liveCount;
      long digest;
      // An NRT reader sees every buffered update and delete: exactly what this commit holds.
      try (DirectoryReader pending = DirectoryReader.open(writer, true, false)) {
        liveCount = pending.numDocs();
        digest = digests.digest(pending);
      }
      SnapshotInfo next = new SnapshotInfo(
          head.id() + 1, head.id(), Instant.now(), liveCount, text, RecordDigests.format(digest), sourceSha256);
      counters.committing();
      writer.setLiveCommitData(counters.writeTo(CommitData.encode(schema, next, pendingTypes)).entrySet());
      RetentionDeletionPolicy retention = (RetentionDeletionPolicy) writer.getConfig().getIndexDeletionPolicy();
      retention.setPaused(!applyRetention);
      try {
        writer.commit();
      } finally {
        retention.setPaused(false);
      }
      head = next;
      searchers.maybeRefreshBlocking();
      metrics.committed();
      return next;
    } catch (IOException e) {
      counters.commitFailed();
      throw failure("commit failed on index " + path + "; the previous snapshot is intact"
          + (writer.isOpen() ? "" : ", the writes buffered since it are lost (the writer reopens at it on the next write)"), e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** Counts a compaction into the next commit's counters (the compaction's own). */
  void countCompaction(long bytesRead, long bytesWritten) {
    counters.compacting(bytesRead, bytesWritten);
  }

  /** Counters as of now, buffered writes included; {@link #stats()} has those of the latest commit. */
  public IndexCounters counters() {
    return counters.snapshot();
  }

  /** Searches the latest committed snapshot. */
  public SearchResult search(SearchRequest request) {
    ensureOpen();
    long start = System.nanoTime();
    SearchResult result =
        withSearcher("search failed on index " + path, searcher -> snapshotSearch.run(searcher, request));
    metrics.searched(request, System.nanoTime() - start, result.hits().size());
    RetrievalMonitor monitor = options.monitor();
    return monitor == null ? result : monitor.observe(request, result, () -> pin(result.snapshotId()));
  }

  /**
   * A view of snapshot {@code snapshotId} if the searcher still serves it (for a recall sample
   * measured later on the same records), else {@code null}.
   */
  private SnapshotView pin(long snapshotId) {
    SnapshotView latest;
    try {
      latest = openLatestSnapshot();
    } catch (IllegalStateException | StrataException e) {
      return null; // closed or failing meanwhile: the sample is skipped, the search already answered
    }
    if (latest.snapshot().id() == snapshotId) {
      return latest;
    }
    latest.close();
    return null;
  }

  /**
   * A view of the latest committed snapshot, the one searches see now, sharing its open reader
   * (no new reader is opened). Close the view.
   */
  public SnapshotView openLatestSnapshot() {
    return withSearcher("cannot read index " + path, searcher -> {
      searcher.getIndexReader().incRef();
      return new SnapshotView(snapshotSearch, searcher, null, null, null);
    });
  }

  /** This index's meters (a no-op without {@link IndexOptions#meterRegistry()}). */
  IndexMetrics metrics() {
    return metrics;
  }

  /** The record with {@code id} in the latest committed snapshot. */
  public Optional<Record> get(String id) {
    RecordValidator.checkId(id);
    return withSearcher("cannot read record '" + id + "' from index " + path, s -> s.get(id));
  }

  /** Whether the latest committed snapshot holds a record with {@code id}. */
  public boolean contains(String id) {
    RecordValidator.checkId(id);
    return withSearcher("cannot read record '" + id + "' from index " + path, s -> s.contains(id));
  }

  /** The latest snapshot this handle searches. */
  public SnapshotInfo latestSnapshot() {
    return withSearcher("cannot read index " + path, SnapshotSearcher::snapshot);
  }

  /** Every metadata field the latest snapshot's records use, with its type. */
  public Map<String, MetadataType> metadataFields() {
    return withSearcher("cannot read index " + path, s -> s.metadataTypes().asMap());
  }

  /** Picks up commits made since the last refresh, e.g. by a writer in another process. */
  public SnapshotInfo refresh() {
    ensureOpen();
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failure("cannot refresh index " + path, e);
    }
    return latestSnapshot();
  }

  /** Bytes the writer has read and written since the index was opened (flushes, merges, commits). */
  long writerBytesRead() {
    return writerDirectory.bytesRead();
  }

  long writerBytesWritten() {
    return writerDirectory.bytesWritten();
  }

  /**
   * Merges for a compaction: expunges deletions and/or merges down to {@code maxSegments} (0: no
   * limit), forced merges throttled to {@code mbPerSec}. Runs on Lucene's merge threads while
   * writes and searches go on; the result becomes a snapshot at the next commit.
   */
  void forceMerge(boolean expungeDeletes, int maxSegments, double mbPerSec) {
    ensureWritable();
    IndexWriter w = writer;
    StrataMergeScheduler scheduler = (StrataMergeScheduler) w.getConfig().getMergeScheduler();
    scheduler.setForceMergeMBPerSec(mbPerSec);
    try {
      scheduler.awaitRunningMerges(); // segments in a running merge are skipped by forced merges
      if (expungeDeletes) {
        w.forceMergeDeletes(true);
      }
      if (maxSegments > 0) {
        // Segments flushed without their graph are rewritten even where nothing else merges them.
        GraphBuildingMergePolicy policy = (GraphBuildingMergePolicy) w.getConfig().getMergePolicy();
        try (DirectoryReader pending = DirectoryReader.open(w)) {
          policy.rebuildGraphsOf(GraphlessSegments.of(pending));
        }
        try {
          w.forceMerge(maxSegments, true);
        } finally {
          policy.rebuildGraphsOf(Set.of());
        }
      }
      scheduler.awaitRunningMerges(); // merges the forced ones cascaded into
    } catch (IOException e) {
      throw failure("merge failed on index " + path + "; the last snapshot is intact", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("merge on index " + path + " interrupted; the last snapshot is intact", e);
    } finally {
      scheduler.setForceMergeMBPerSec(Double.POSITIVE_INFINITY);
    }
  }

  /** Stops the merges running now (a compaction being aborted); segments stay as they were. */
  void abortMerges() {
    IndexWriter w = writer;
    if (w != null) {
      ((StrataMergeScheduler) w.getConfig().getMergeScheduler()).abortRunningMerges();
    }
  }

  /** Live docs, deleted docs and segments the writer holds now, uncommitted merges included. */
  long[] pendingShape() {
    ensureWritable();
    try (DirectoryReader pending = DirectoryReader.open(writer)) {
      return new long[] {pending.numDocs(), pending.numDeletedDocs(), pending.leaves().size()};
    } catch (IOException e) {
      throw failure("cannot read index " + path, e);
    }
  }

  /** Counts and sizes of the latest committed snapshot. */
  public IndexStats stats() {
    return withSearcher(
        "cannot read stats of index " + path,
        searcher -> {
          IndexReader reader = searcher.getIndexReader();
          return new IndexStats(
              reader.numDocs(),
              reader.numDeletedDocs(),
              reader.leaves().size(),
              bytesOnDisk(),
              schema,
              searcher.snapshot(),
              searcher.metadataTypes().asMap(),
              PersistentCounters.read(reader instanceof DirectoryReader d ? d.getIndexCommit().getUserData() : Map.of()),
              searcher.graphlessSegments());
        });
  }

  private long bytesOnDisk() throws IOException {
    long bytes = 0;
    for (String file : directory.listAll()) {
      try {
        bytes += directory.fileLength(file);
      } catch (NoSuchFileException e) {
        // deleted by a merge or commit between listAll and fileLength: it no longer counts
      }
    }
    return bytes;
  }

  /** Every kept snapshot, oldest first, with its tags and the bytes only it pins on disk. */
  public List<SnapshotSummary> snapshots() {
    ensureOpen();
    try {
      return catalog.list();
    } catch (IOException e) {
      throw failure("cannot list snapshots of index " + path, e);
    }
  }

  /** Opens a kept snapshot, by id or tag, for reading as it was (time travel). Close the view. */
  public SnapshotView openSnapshot(String idOrTag) {
    ensureOpen();
    IndexCommit commit = commitFor(idOrTag);
    try {
      return new SnapshotView(snapshotSearch, new SnapshotSearcher(DirectoryReader.open(commit)), null);
    } catch (IOException e) {
      throw failure("cannot open snapshot " + idOrTag + " of index " + path, e);
    }
  }

  /**
   * Makes a kept snapshot the current state, in time independent of the index's size: the writer
   * reopens on that commit (no data is copied) and a new snapshot records the rollback, its parent
   * the snapshot that was current. Snapshots after the target stay kept (until retention drops
   * them), so a rollback can itself be rolled back.
   *
   * @throws IllegalStateException if writes are buffered: commit them first, a rollback never
   *     discards accepted records silently
   */
  public SnapshotInfo rollbackTo(String idOrTag) {
    ensureWritable();
    commitLock.writeLock().lock();
    try {
      if (writer.hasUncommittedChanges()) {
        throw new IllegalStateException(
            "index " + path + " has buffered writes; commit them before rolling back");
      }
      IndexCommit target = writerCatalog.commitFor(idOrTag); // the writer accepts its own directory's commits only
      SnapshotInfo targetInfo = CommitData.snapshot(target.getUserData());
      writer.rollback(); // nothing buffered: this only closes it and releases the lock
      writer = openWriter(path, writerDirectory, schema, options, target);
      SnapshotInfo next = commitRollback(writer, schema, target, idOrTag, head.id() + 1, counters, "rollback");
      synchronized (typesLock) {
        pendingTypes = CommitData.metadataTypes(target.getUserData());
      }
      head = next;
      searchers.maybeRefreshBlocking();
      return next;
    } catch (IOException e) {
      throw failure("rollback of index " + path + " to " + idOrTag + " failed", e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /**
   * Commits, through {@code writer} opened on {@code target}, snapshot {@code nextId} holding
   * {@code target}'s records, its message saying what it rolled back to: the one step a rollback
   * and a recovery share.
   */
  static SnapshotInfo commitRollback(IndexWriter writer, IndexSchema schema, IndexCommit target, String idOrTag,
      long nextId, PersistentCounters counters, String what) throws IOException {
    SnapshotInfo targetInfo = CommitData.snapshot(target.getUserData());
    String label = idOrTag.equals(Long.toString(targetInfo.id())) ? "" : " (" + idOrTag + ")";
    SnapshotInfo next = new SnapshotInfo(nextId, nextId - 1, Instant.now(), targetInfo.liveCount(),
        what + " to snapshot " + targetInfo.id() + label, targetInfo.recordDigest(), targetInfo.sourceSha256());
    counters.committing();
    counters.rollingBack();
    writer.setLiveCommitData(counters.writeTo(
        CommitData.encode(schema, next, CommitData.metadataTypes(target.getUserData()))).entrySet());
    writer.commit();
    return next;
  }

  /** Points {@code tag} at a kept snapshot (moving it if it pointed elsewhere); tagged snapshots are always kept. */
  public void tag(String idOrTag, String tag) {
    ensureOpen();
    try {
      catalog.tag(idOrTag, tag);
    } catch (IOException e) {
      throw failure("cannot read snapshot " + idOrTag + " of index " + path, e);
    }
  }

  /** Removes {@code tag}; the snapshot it named is then kept only if retention keeps it. */
  public void untag(String tag) {
    ensureOpen();
    catalog.untag(tag);
  }

  /**
   * Checks a kept snapshot (by id or tag): file checksums, the manifest's live count, and its
   * record digest against one recomputed from the stored records.
   */
  public VerificationReport verify(String idOrTag) {
    ensureOpen();
    IndexCommit commit = commitFor(idOrTag);
    try {
      SnapshotInfo manifest = CommitData.snapshot(commit.getUserData());
      return new VerificationReport(manifest.id(), SnapshotVerifier.verify(commit, manifest));
    } catch (IOException e) {
      throw failure("cannot read snapshot " + idOrTag + " of index " + path, e);
    }
  }

  /** {@link #verify} for every kept snapshot, oldest first. */
  public List<VerificationReport> verifyAll() {
    return snapshots().stream().map(s -> verify(Long.toString(s.info().id()))).toList();
  }

  /**
   * Writes a kept snapshot to one zstd-compressed archive with a SHA-256 for every file. With
   * {@code sinceIdOrTag}, only the files that snapshot does not already have go in (segments never
   * change), for replicas that hold it. Tags naming the snapshot travel with it.
   */
  public ArchiveReport exportSnapshot(String idOrTag, String sinceIdOrTag, Path out) {
    ensureOpen();
    Path parent = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("cannot write archive " + out + ": it is a directory; name a file");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException("cannot write archive " + out + ": no such directory " + parent);
    }
    IndexCommit target = commitFor(idOrTag);
    IndexCommit base = sinceIdOrTag == null ? null : commitFor(sinceIdOrTag);
    try {
      long targetId = CommitData.snapshot(target.getUserData()).id();
      List<String> tags = TagCatalog.read(path).entrySet().stream()
          .filter(e -> e.getValue() == targetId).map(Map.Entry::getKey).sorted().toList();
      SnapshotArchive.ExportResult r = SnapshotArchive.export(directory, target, base, tags, out);
      return new ArchiveReport(r.snapshotId(), r.baseSnapshotId(), r.files(), r.bytes(), r.archiveBytes());
    } catch (IOException e) {
      throw failure("cannot export snapshot " + idOrTag + " of index " + path + " to " + out, e);
    }
  }

  /**
   * Restores an archive into {@code dest}: every file is checked against the archive's manifest and
   * the snapshot verified before the directory appears under its name. An existing index at
   * {@code dest} is replaced only with {@code force}, or by an incremental archive whose base it
   * holds. A damaged, truncated or foreign archive leaves {@code dest} as it was.
   */
  public static ArchiveReport importSnapshot(Path archive, Path dest, boolean force) {
    try {
      SnapshotArchive.ImportResult r = SnapshotArchive.importArchive(archive, dest, force);
      return new ArchiveReport(r.snapshotId(), 0, r.files(), r.bytes(), Files.size(archive));
    } catch (IOException e) {
      throw failure("cannot import " + archive + " into " + dest, e);
    }
  }

  /**
   * Rewrites an index written by an older Lucene (read through lucene-backward-codecs) in the
   * current format, with a snapshot manifest: its schema is kept, or inferred from the vector
   * field if it never had one. Every record is copied into a new index beside it (so each gets
   * its digest hash), which is verified and then renamed into place; the old directory stays as
   * {@code DIR.pre-upgrade} until the operator removes it.
   *
   * @return the new index's first snapshot
   */
  public static SnapshotInfo upgrade(Path path) {
    try {
      return IndexUpgrade.run(path);
    } catch (IOException e) {
      throw failure("cannot upgrade index " + path, e);
    }
  }

  private IndexCommit commitFor(String idOrTag) {
    try {
      return catalog.commitFor(idOrTag);
    } catch (IOException e) {
      throw failure("cannot list snapshots of index " + path, e);
    }
  }

  /**
   * Releases the writer and readers. Writes not yet committed are discarded (and a warning says
   * so): durability is what {@link #commit} promises, never a side effect of close. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (writer != null && writer.hasUncommittedChanges()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "closing index {0} with uncommitted writes: they are discarded (call commit to keep them)",
          path);
    }
    metrics.close();
    try {
      // Closes every one even if an earlier one fails, then rethrows the first failure.
      IOUtils.close(searchers, writer, directory);
    } catch (IOException e) {
      throw failure("error while closing index " + path, e);
    }
  }

  @Override
  public String toString() {
    return "VectorIndex[" + path + ", " + schema.dimension() + "d " + schema.similarity().externalName()
        + " " + schema.encoding().externalName() + (options.readOnly() ? ", read-only" : "")
        + (closed ? ", closed" : ", snapshot " + head.id()) + "]";
  }

  @FunctionalInterface
  private interface SearcherCall<T> {
    T apply(SnapshotSearcher searcher) throws IOException;
  }

  /** Runs {@code call} on the current snapshot's searcher, which it holds for the call only. */
  private <T> T withSearcher(String failureMessage, SearcherCall<T> call) {
    ensureOpen();
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException e) {
      throw failure("cannot acquire a searcher on index " + path, e);
    }
    try {
      return call.apply((SnapshotSearcher) searcher);
    } catch (IOException e) {
      throw failure(failureMessage, e);
    } finally {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot release a searcher on index " + path, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index " + path + " is closed");
    }
  }

  private void ensureWritable() {
    ensureOpen();
    if (writer == null) {
      throw new IllegalStateException("index " + path + " was opened read-only");
    }
    if (!writer.isOpen()) {
      reopenFailedWriter();
    }
  }

  /**
   * Lucene closes its writer for good on a tragic error (a full disk during a flush or merge, an
   * I/O error). The last commit is intact; reopening the writer at it lets writes go on once the
   * cause is fixed, instead of failing forever with Lucene's "this IndexWriter is closed". What
   * was buffered since that commit is gone, as the failed write or commit already said.
   */
  private void reopenFailedWriter() {
    commitLock.writeLock().lock();
    try {
      IndexWriter failed = writer;
      if (failed.isOpen()) {
        return; // another thread reopened it
      }
      Throwable cause = failed.getTragicException();
      writer = openWriter(path, writerDirectory, schema, options, null);
      Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
      synchronized (typesLock) {
        pendingTypes = CommitData.metadataTypes(data);
      }
      counters.reloadFrom(data);
      head = CommitData.snapshot(data);
      LOG.log(System.Logger.Level.WARNING, "index " + path + ": the writer had closed on " + cause
          + "; reopened at snapshot " + head.id() + " (writes buffered since it were lost)");
    } catch (IOException e) {
      throw failure("the writer of index " + path + " failed and cannot be reopened", e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  private static boolean looksLikeIndex(Path path) {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Directory directory = FSDirectory.open(path)) {
      return DirectoryReader.indexExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens the writer on the latest commit, or on {@code commit} (a rollback). */
  static IndexWriter openWriter(
      Path path, Directory directory, IndexSchema schema, IndexOptions options, IndexCommit commit)
      throws IOException {
    try {
      return new IndexWriter(
          directory,
          writerConfig(path, schema, options)
              .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
              .setIndexCommit(commit)
              .setMergeScheduler(new StrataMergeScheduler())); // a closed writer closes its scheduler
    } catch (LockObtainFailedException e) {
      throw new IndexLockedException(path, e);
    }
  }

  private static IndexWriterConfig writerConfig(Path path, IndexSchema schema, IndexOptions options) {
    return new IndexWriterConfig(FullText.analyzer())
        .setCodec(Codecs.forSchema(schema, options.deferGraphs()))
        .setIndexDeletionPolicy(
            new RetentionDeletionPolicy(
                options.retention(), () -> new HashSet<>(TagCatalog.read(path).values())))
        .setRAMBufferSizeMB(options.ramBufferMb())
        .setMergePolicy(new GraphBuildingMergePolicy(
            options.backgroundMerges() ? mergePolicy() : new CompactionOnlyMergePolicy(mergePolicy())))
        .setCommitOnClose(false)
        // -Dstrata.lucene.infoStream=true: Lucene's own account of flushes and merges, on stderr
        .setInfoStream(Boolean.getBoolean("strata.lucene.infoStream")
            ? new PrintStreamInfoStream(System.err) : InfoStream.NO_OUTPUT);
  }

  /**
   * Every segment is one more HNSW graph a search must visit: half of Lucene's default segments
   * per tier keeps that number low between compactions, at the price of more (incremental, since
   * Lucene 10 merges into the largest graph) merging while writing.
   */
  private static TieredMergePolicy mergePolicy() {
    return new TieredMergePolicy()
        .setSegmentsPerTier(SEGMENTS_PER_TIER)
        .setForceMergeDeletesPctAllowed(0); // expunge means every deletion, not most
  }

  private static StrataException failure(String what, IOException e) {
    return new StrataException(what + ": " + e, e);
  }

  /** Builds each searcher with its commit's manifest, read once per refresh, not per query. */
  private static final class SnapshotSearcherFactory extends SearcherFactory {
    @Override
    public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader)
        throws IOException {
      return new SnapshotSearcher((DirectoryReader) reader);
    }
  }
}
