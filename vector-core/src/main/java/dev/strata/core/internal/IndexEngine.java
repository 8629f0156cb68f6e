package dev.strata.core.internal;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexCounters;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.IngestReport;
import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.RejectListener;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.IOUtils;

/**
 * One open index's moving parts behind the {@code VectorIndex} facade: the writer and its
 * lifecycle (commit lock, failed-writer reopen, rollback commit), the searcher manager, the
 * lifetime counters and the merges a compaction asks for. Thread-safe.
 */
public final class IndexEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IndexEngine.class.getName());

  private final Path path;
  private final IndexSchema schema;
  private final IndexOptions options;
  private final Directory directory;
  private final CountingDirectory writerDirectory; // the writer's I/O, counted for compaction reports
  private volatile IndexWriter writer; // null when read-only; replaced by rollbackTo and reopens
  private final IndexReaders readers; // the searcher manager over the latest commit
  private final RecordValidator validator;
  private final RecordValidator copyValidator; // for vectors that an index already normalised
  private final VectorSimilarityFunction luceneSimilarity;
  private final DriftGuard driftGuard;
  private final SearchRunner searchRunner;
  private final RecordDigests digests = new RecordDigests();
  private final SnapshotCatalog catalog;
  private final SnapshotCatalog writerCatalog;
  private final IndexMetrics metrics;
  private final PersistentCounters counters;
  private final FlatFlushes flatFlushes;
  private final IndexMerges merges;

  /** Writes share it, commit takes it alone: a commit never records half of a batch. */
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

  private final PendingTypes pendingTypes; // committed types plus those of buffered writes
  private final BufferedWrites buffered = new BufferedWrites(); // Lucene's own flag counts merges too
  private SnapshotInfo head; // guarded by commitLock's write lock
  private volatile boolean closed;

  /** Opens the engine on the latest commit in {@code directory}, which it then owns. */
  public IndexEngine(Path path, Directory directory, IndexOptions options) throws IOException {
    this.path = path;
    this.directory = directory;
    this.options = options;
    Map<String, String> data = CommittedHead.readLatestCommit(path, directory);
    this.schema = CommitData.schema(data);
    this.head = CommitData.snapshot(data);
    this.pendingTypes = new PendingTypes(CommitData.metadataTypes(data));
    this.counters = PersistentCounters.from(data);
    this.validator = new RecordValidator(schema, options.maxTextBytes());
    this.copyValidator = new RecordValidator(schema.toBuilder().normalize(false).build(), Integer.MAX_VALUE);
    this.luceneSimilarity = LuceneDocuments.luceneSimilarity(schema.similarity());
    this.driftGuard = new DriftGuard(path, schema.modelFingerprint());
    this.searchRunner = new SearchRunner(path, schema, driftGuard);
    this.catalog = new SnapshotCatalog(path, directory);
    this.writerDirectory = new CountingDirectory(new SyncOnceDirectory(directory)); // no fsync twice
    this.writerCatalog = new SnapshotCatalog(path, writerDirectory);
    this.flatFlushes = new FlatFlushes(options);
    this.writer = options.readOnly() ? null : IndexWriters.open(path, writerDirectory, schema, options, null, flatFlushes);
    this.merges = new IndexMerges(path, this::writableWriter, () -> writer, this::reopenFailedWriter, this::commitUnlessBuffered, flatFlushes);
    try {
      this.readers = new IndexReaders(path, directory, schema, options.checksumOnOpen());
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        writer.rollback();
      }
      throw e;
    }
    this.metrics = IndexMetrics.of(options.meterRegistry(), path, this::stats, this::snapshotCount);
    readers.startBackgroundWork(options, metrics);
    startGraphBuildIfGraphless(); // a bulk load's build that a close or a crash interrupted
  }

  private void startGraphBuildIfGraphless() {
    if (writer != null && flatFlushes.buildsGraphs()
        && readers.withSearcher("cannot read index " + path, SnapshotSearcher::graphlessSegments) > 0) {
      merges.startGraphBuild();
    }
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

  public Directory directory() {
    return directory;
  }

  public SearchRunner searchRunner() {
    return searchRunner;
  }

  /** Verifies a snapshot's files before a view of it serves (a no-op when checksumOnOpen is off). */
  public void checkBeforeServing(IndexCommit commit) throws IOException {
    SegmentChecksums checksums = readers.checksums();
    if (checksums != null) {
      checksums.beforeServing(commit);
    }
  }

  public SnapshotCatalog catalog() {
    return catalog;
  }

  public IndexMetrics metrics() {
    return metrics;
  }

  /** Metadata field types as of the buffered writes. */
  public MetadataTypes pendingTypes() {
    return pendingTypes.current();
  }

  /**
   * Validates every record, buffers the valid ones and tells {@code rejects} of each invalid one;
   * with {@code rejects} null, one invalid record refuses the whole batch (nothing is buffered and
   * the {@link RecordValidationException} names it).
   *
   * @param copies records read from an index of the same model: vectors kept bit for bit
   */
  public IngestReport ingest(Collection<Record> records, VectorSource source, RejectListener rejects, boolean copies) {
    ensureWritable();
    if (!copies) {
      try {
        driftGuard.check(source, "upsert");
      } catch (EmbeddingDriftException e) {
        metrics.rejected("model_drift");
        counters.rejected();
        throw e;
      }
    }
    List<PendingTypes.Rejected> refused = new ArrayList<>();
    int accepted;
    commitLock.readLock().lock();
    try {
      List<ValidatedRecord> valid = pendingTypes.validateAndRegister(
          records, copies ? copyValidator : validator, refused, rejects == null, e -> {
            metrics.rejected(e.rule().name());
            counters.rejected();
          });
      // Counted before they are written, so a batch that makes a load a bulk load goes in flat itself.
      if (flatFlushes.written(valid.size())) {
        merges.bulkLoadStarted();
      }
      for (ValidatedRecord record : valid) {
        writer.updateDocument(
            LuceneDocuments.idTerm(record.id()),
            LuceneDocuments.toDocument(record, luceneSimilarity, schema.fullText()));
      }
      accepted = valid.size();
      if (accepted > 0) {
        buffered.added();
      }
      metrics.ingested(accepted);
      counters.upserted(accepted);
    } catch (IOException e) {
      throw writeFailed("cannot write to index " + path, e);
    } finally {
      commitLock.readLock().unlock();
    }
    for (PendingTypes.Rejected r : refused) { // outside the locks: a slow listener holds up no other writer
      rejects.rejected(r.position(), r.record(), r.reason());
    }
    return new IngestReport(accepted, refused.size());
  }

  /** Buffers the deletion of every id. */
  public void deleteIds(Collection<String> ids) {
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

  /** Buffers the deletion of every record {@code query} matches, buffered writes included. */
  public void deleteMatching(Query query) {
    ensureWritable();
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
      buffered.added();
    } catch (IOException e) {
      throw writeFailed("cannot delete from index " + path, e);
    } finally {
      commitLock.readLock().unlock();
    }
  }

  /**
   * Makes every buffered write durable as snapshot head + 1 and shows it to searches; without
   * {@code applyRetention}, this commit deletes no snapshot. A commit that {@code acknowledgesWrites}
   * (the caller's, not a compaction's or graph build's) is refused once after writes were lost with
   * a failed writer ({@link BufferedWrites}): it is what tells their writers whether they are durable.
   */
  public SnapshotInfo commit(String message, String sourceSha256, boolean applyRetention, boolean acknowledgesWrites) {
    ensureWritable();
    String text = CommitData.checkedMessage(message, sourceSha256);
    commitLock.writeLock().lock();
    try {
      if (acknowledgesWrites) {
        buffered.throwIfLost(path);
      }
      long liveCount;
      long digest;
      // An NRT reader sees every buffered update and delete: exactly what this commit holds.
      try (DirectoryReader pending = DirectoryReader.open(writer, true, false)) {
        liveCount = pending.numDocs();
        digest = digests.digest(pending);
      }
      SnapshotInfo next = new SnapshotInfo(head.id() + 1, head.id(), options.clock().instant(), liveCount, text,
          RecordDigests.format(digest), sourceSha256);
      WriteFence.commitUnlessFenced(path, options.clock(), () -> { // a live migration's final catch-up must see every commit
        counters.committing();
        writer.setLiveCommitData(
            TagCatalog.recordIn(counters.writeTo(CommitData.encode(schema, next, pendingTypes.current())), path).entrySet());
        RetentionDeletionPolicy retention = (RetentionDeletionPolicy) writer.getConfig().getIndexDeletionPolicy();
        retention.setPaused(!applyRetention);
        try {
          return writer.commit();
        } finally {
          retention.setPaused(false);
        }
      });
      head = next;
      buffered.cleared();
      readers.refresh();
      metrics.committed();
      if (flatFlushes.endWindow()) {
        merges.startGraphBuild();
      }
      return next;
    } catch (IOException e) {
      counters.commitFailed();
      if (!writer.isOpen()) {
        buffered.cleared(); // this failure tells every writer waiting on the commit; no later one is refused for it
      }
      throw writeFailed("commit failed on index " + path + "; the previous snapshot is intact", e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /**
   * Reopens the writer on kept snapshot {@code idOrTag} and commits a snapshot that records the
   * rollback, its parent the snapshot that was current.
   *
   * @throws IllegalStateException if writes are buffered
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
      SnapshotInfo next = WriteFence.commitUnlessFenced(path, options.clock(), () -> { // a rollback commits too
        writer.rollback(); // nothing buffered: this only closes it and releases the lock
        digests.forget();
        writer = IndexWriters.open(path, writerDirectory, schema, options, target, flatFlushes);
        return IndexWriters.commitRollback(writer, path, schema, target, idOrTag, head.id() + 1, counters, "rollback", options);
      });
      pendingTypes.reset(CommitData.metadataTypes(target.getUserData()));
      buffered.cleared();
      head = next;
      readers.refresh();
      startGraphBuildIfGraphless();
      return next;
    } catch (IOException e) {
      throw Failures.of("rollback of index " + path + " to " + idOrTag + " failed", e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** Counts a compaction into the next commit's counters (the compaction's own). */
  public void countCompaction(long bytesRead, long bytesWritten) {
    counters.compacting(bytesRead, bytesWritten);
  }

  /** Counters as of now, buffered writes included. */
  public IndexCounters counters() {
    return counters.snapshot();
  }

  /** Bytes the writer has read since the index was opened (flushes, merges, commits). */
  public long writerBytesRead() {
    return writerDirectory.bytesRead();
  }

  /** Bytes the writer has written since the index was opened. */
  public long writerBytesWritten() {
    return writerDirectory.bytesWritten();
  }

  /** Compactions' merges and bulk loads' graph builds on this index's writer. */
  public IndexMerges merges() {
    return merges;
  }

  private IndexWriter writableWriter() {
    ensureWritable();
    return writer;
  }

  /**
   * Commits {@code message} unless writes are buffered, which belong to their writer's own commit
   * (this one's changes then ride along with it); whether it committed.
   */
  private boolean commitUnlessBuffered(String message) {
    commitLock.writeLock().lock();
    try {
      if (buffered.any()) {
        return false;
      }
      commit(message, null, true, false);
      return true;
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** Counts and sizes of the latest committed snapshot. */
  public IndexStats stats() {
    ensureOpen();
    return readers.stats(merges.graphBuildRunning());
  }

  private int snapshotCount() {
    try {
      return catalog.commits().size();
    } catch (IOException e) {
      throw Failures.of("cannot list snapshots of index " + path, e);
    }
  }

  /** Picks up commits made since the last refresh, e.g. by a writer in another process. */
  public void refresh() {
    ensureOpen();
    readers.refresh();
  }

  /** Runs {@code call} on the current snapshot's searcher, which it holds for the call only. */
  public <T> T withSearcher(String failureMessage, SearcherCall<T> call) {
    ensureOpen();
    return readers.withSearcher(failureMessage, call);
  }

  /** The kept commit of snapshot {@code idOrTag}. */
  public IndexCommit commitFor(String idOrTag) {
    ensureOpen();
    try {
      return catalog.commitFor(idOrTag);
    } catch (IOException e) {
      throw Failures.of("cannot list snapshots of index " + path, e);
    }
  }

  public void ensureOpen() {
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

  /** A write or commit failed; if the failure closed the writer, it says the buffered writes went with it. */
  private dev.strata.core.StrataException writeFailed(String what, IOException e) {
    return Failures.of(what + (writer.isOpen() ? "" : "; the writer closed, and the writes buffered since snapshot "
        + head.id() + " are lost (it reopens at that snapshot on the next call; the next commit is refused once)"), e);
  }

  /**
   * Lucene closes its writer for good on a tragic error (a full disk in a flush or merge); reopening
   * it at the intact last commit lets writes go on once the cause is fixed. What was buffered since
   * is gone, and the next commit of the caller's says so ({@link BufferedWrites}).
   */
  private void reopenFailedWriter() {
    commitLock.writeLock().lock();
    try {
      IndexWriter failed = writer;
      if (failed.isOpen()) {
        return; // another thread reopened it
      }
      Throwable cause = failed.getTragicException();
      digests.forget();
      writer = IndexWriters.open(path, writerDirectory, schema, options, null, flatFlushes);
      Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
      pendingTypes.reset(CommitData.metadataTypes(data));
      counters.reloadFrom(data);
      head = CommitData.snapshot(data);
      boolean lost = buffered.lostWithWriter(head.id(), cause);
      LOG.log(System.Logger.Level.WARNING, "index " + path + ": the writer had closed on " + cause
          + "; reopened at snapshot " + head.id() + (lost ? " (writes buffered since it were lost)" : ""));
    } catch (IOException e) {
      throw Failures.of("the writer of index " + path + " failed and cannot be reopened", e);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** The snapshot the next commit follows, for {@code toString}. */
  public long headId() {
    return head.id();
  }

  /** Whether writes are buffered that no commit holds yet (a revert refuses to mix with them). */
  public boolean hasBufferedWrites() {
    return buffered.any();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Releases the writer and readers. Writes not yet committed are discarded (and a warning says
   * so). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    merges.close(); // before the writer: a graph build's merge is aborted, not left to fail on a closed writer
    if (writer != null && buffered.any()) {
      LOG.log(System.Logger.Level.WARNING, "closing index {0} with uncommitted writes: they are discarded", path);
    }
    metrics.close();
    try {
      // Closes every one even if an earlier one fails, then rethrows the first failure.
      IOUtils.close(readers, writer, directory);
    } catch (IOException e) {
      throw Failures.of("error while closing index " + path, e);
    }
  }
}
