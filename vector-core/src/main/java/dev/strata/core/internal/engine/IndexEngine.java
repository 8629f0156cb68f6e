package dev.strata.core.internal.engine;

import dev.strata.core.IndexCounters;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.IngestReport;
import dev.strata.core.Record;
import dev.strata.core.RejectListener;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.CommittedHead;
import dev.strata.core.internal.catalog.SegmentChecksums;
import dev.strata.core.internal.catalog.SnapshotCatalog;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.codecs.FlatFlushes;
import dev.strata.core.internal.codecs.RetentionDeletionPolicy;
import dev.strata.core.internal.fence.WriteFence;
import dev.strata.core.internal.io.CountingDirectory;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.internal.io.SyncOnceDirectory;
import dev.strata.core.internal.records.DriftGuard;
import dev.strata.core.internal.records.MetadataTypes;
import dev.strata.core.internal.records.RecordDigests;
import dev.strata.core.internal.search.SearchRunner;
import dev.strata.core.internal.search.SearcherCall;
import dev.strata.core.internal.search.SnapshotSearcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.IOUtils;

/**
 * One open index's moving parts behind the {@code VectorIndex} facade, and the commit that ties
 * them together: the writer's slot ({@link WriterSlot}: lock, reopen, head), the write path
 * ({@link RecordWrites}), the searcher manager, the merges ({@link IndexMerges}) and their
 * background graph builds. Commits and rollbacks are here; everything else is delegated. Thread-safe.
 */
public final class IndexEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IndexEngine.class.getName());

  private final Path path;
  private final IndexSchema schema;
  private final IndexOptions options;
  private final Directory directory;
  private final CountingDirectory writerDirectory; // the writer's I/O, counted for compaction reports
  private final WriterSlot slot; // the writer and what is reset with it; reopened on tragic errors and rollbacks
  private final IndexReaders readers; // the searcher manager over the latest commit
  private final RecordWrites writes;
  private final SearchRunner searchRunner;
  private final SnapshotCatalog catalog;
  private final SnapshotCatalog writerCatalog;
  private final IndexMetrics metrics;
  private final FlatFlushes flatFlushes;
  private final IndexMerges merges;
  private final GraphBuilds graphBuilds;
  private volatile boolean closed;

  /** Opens the engine on the latest commit in {@code directory}, which it then owns. */
  public IndexEngine(Path path, Directory directory, IndexOptions options) throws IOException {
    this.path = path;
    this.directory = directory;
    this.options = options;
    Map<String, String> data = CommittedHead.readLatestCommit(path, directory);
    this.schema = CommitData.schema(data);
    DriftGuard driftGuard = new DriftGuard(path, schema.modelFingerprint());
    this.searchRunner = new SearchRunner(path, schema, driftGuard);
    this.catalog = new SnapshotCatalog(path, directory);
    this.writerDirectory = new CountingDirectory(new SyncOnceDirectory(directory)); // no fsync twice
    this.writerCatalog = new SnapshotCatalog(path, writerDirectory);
    this.flatFlushes = new FlatFlushes(options);
    this.slot = new WriterSlot(path, schema, options, directory, writerDirectory, flatFlushes, data);
    this.merges = new IndexMerges(path, slot, flatFlushes);
    try {
      this.readers = new IndexReaders(path, directory, schema, options.checksumOnOpen());
    } catch (IOException | RuntimeException e) {
      if (slot.current() != null) {
        slot.current().rollback();
      }
      throw e;
    }
    this.graphBuilds = new GraphBuilds(path, this::backgroundGraphBuild, merges::abort);
    this.metrics = IndexMetrics.of(options.meterRegistry(), path, this::stats, this::snapshotCount);
    this.writes = new RecordWrites(path, schema, options.maxTextBytes(), slot, driftGuard, metrics, flatFlushes, merges);
    readers.startBackgroundWork(options, metrics);
    startGraphBuildIfGraphless(); // a bulk load's build that a close or a crash interrupted
  }

  private void startGraphBuildIfGraphless() {
    if (slot.current() != null && flatFlushes.buildsGraphs()
        && readers.withSearcher("cannot read index " + path, SnapshotSearcher::graphlessSegments) > 0) {
      graphBuilds.start();
    }
  }

  /**
   * One background graph build ({@link IndexMerges#buildGraphsNow}), committed as a snapshot of its
   * own unless writes are buffered (the next commit then takes it along).
   */
  private void backgroundGraphBuild() {
    IndexWriter writer = slot.current();
    int merged;
    try {
      merged = merges.buildGraphs(true);
    } catch (RuntimeException e) {
      if (slot.current() != writer && writer.getTragicException() == null) { // closed by a rollback, not by a failure
        LOG.log(System.Logger.Level.INFO, "graph build of index " + path + " stopped: the writer was reopened (a"
            + " rollback) under it; the snapshot rolled back to gets its own build if it needs one");
        return;
      }
      throw e;
    }
    if (merged > 0 && !closed) { // a close aborts the merge: nothing to commit, and no commit under a close
      commitUnlessBuffered("graph build: " + merged + " segment(s) of a bulk load merged into one with its HNSW graph");
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
    return slot.pendingTypes.current();
  }

  /**
   * Validates every record, buffers the valid ones and tells {@code rejects} of each invalid one;
   * with {@code rejects} null, one invalid record refuses the whole batch (nothing is buffered and
   * the {@link dev.strata.core.RecordValidationException} names it).
   *
   * @param copies records read from an index of the same model: vectors kept bit for bit
   */
  public IngestReport ingest(Collection<Record> records, VectorSource source, RejectListener rejects, boolean copies) {
    ensureWritable();
    return writes.ingest(records, source, rejects, copies);
  }

  /** Buffers the deletion of every id. */
  public void deleteIds(Collection<String> ids) {
    ensureWritable();
    writes.deleteIds(ids);
  }

  /** Buffers the deletion of every record {@code query} matches, buffered writes included. */
  public void deleteMatching(Query query) {
    ensureWritable();
    writes.deleteMatching(query);
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
    slot.commitLock.writeLock().lock();
    try {
      IndexWriter writer = slot.current(); // opened by ensureWritable
      if (acknowledgesWrites) {
        slot.buffered.throwIfLost(path);
      }
      long liveCount;
      long digest;
      // An NRT reader sees every buffered update and delete: exactly what this commit holds.
      try (DirectoryReader pending = DirectoryReader.open(writer, true, false)) {
        liveCount = pending.numDocs();
        digest = slot.digests.digest(pending);
      }
      SnapshotInfo head = slot.head();
      SnapshotInfo next = new SnapshotInfo(head.id() + 1, head.id(), options.clock().instant(), liveCount, text,
          RecordDigests.format(digest), sourceSha256);
      WriteFence.commitUnlessFenced(path, options.clock(), () -> { // a live migration's final catch-up must see every commit
        slot.counters.committing();
        writer.setLiveCommitData(TagCatalog.recordIn(
            slot.counters.writeTo(CommitData.encode(schema, next, slot.pendingTypes.current())), path).entrySet());
        RetentionDeletionPolicy retention = (RetentionDeletionPolicy) writer.getConfig().getIndexDeletionPolicy();
        retention.setPaused(!applyRetention);
        try {
          return writer.commit();
        } finally {
          retention.setPaused(false);
        }
      });
      slot.advanceTo(next);
      readers.refresh();
      metrics.committed();
      if (flatFlushes.endWindow()) {
        graphBuilds.start();
      }
      return next;
    } catch (IOException e) {
      slot.counters.commitFailed();
      if (!slot.current().isOpen()) {
        slot.buffered.cleared(); // this failure tells every writer waiting on the commit; no later one is refused for it
      }
      throw slot.writeFailed("commit failed on index " + path + "; the previous snapshot is intact", e);
    } finally {
      slot.commitLock.writeLock().unlock();
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
    slot.commitLock.writeLock().lock();
    try {
      if (slot.current().hasUncommittedChanges()) {
        throw new IllegalStateException(
            "index " + path + " has buffered writes; commit them before rolling back");
      }
      IndexCommit target = writerCatalog.commitFor(idOrTag); // the writer accepts its own directory's commits only
      long nextId = slot.head().id() + 1;
      SnapshotInfo next = WriteFence.commitUnlessFenced(path, options.clock(), () -> IndexWriters.commitRollback( // commits too
          slot.reopenAt(target), path, schema, target, idOrTag, nextId, slot.counters, "rollback", options));
      slot.advanceTo(next);
      readers.refresh();
      startGraphBuildIfGraphless();
      return next;
    } catch (IOException e) {
      throw Failures.of("rollback of index " + path + " to " + idOrTag + " failed", e);
    } finally {
      slot.commitLock.writeLock().unlock();
    }
  }

  /** Counts a compaction into the next commit's counters (the compaction's own). */
  public void countCompaction(long bytesRead, long bytesWritten) {
    slot.counters.compacting(bytesRead, bytesWritten);
  }

  /** Counters as of now, buffered writes included. */
  public IndexCounters counters() {
    return slot.counters.snapshot();
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

  /** Whether a graph build runs or waits to ({@link dev.strata.core.IndexOptions.Builder#bulkLoadRecords}). */
  public boolean graphBuildRunning() {
    return graphBuilds.running();
  }

  /** Waits at most {@code timeout} for the graph builds asked for so far; whether none is left. */
  public boolean awaitGraphBuild(java.time.Duration timeout) throws InterruptedException {
    return graphBuilds.await(timeout);
  }

  /**
   * Commits {@code message} unless writes are buffered, which belong to their writer's own commit
   * (this one's changes then ride along with it); whether it committed.
   */
  private boolean commitUnlessBuffered(String message) {
    slot.commitLock.writeLock().lock();
    try {
      if (slot.buffered.any()) {
        return false;
      }
      commit(message, null, true, false);
      return true;
    } finally {
      slot.commitLock.writeLock().unlock();
    }
  }

  /** Counts and sizes of the latest committed snapshot. */
  public IndexStats stats() {
    ensureOpen();
    return readers.stats(graphBuilds.running());
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
    slot.writable(); // refuses a read-only index; reopens a writer a tragic error closed
  }

  /** The snapshot the next commit follows, for {@code toString}. */
  public long headId() {
    return slot.head().id();
  }

  /** Whether writes are buffered that no commit holds yet (a revert refuses to mix with them). */
  public boolean hasBufferedWrites() {
    return slot.buffered.any();
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
    graphBuilds.close(); // before the writer: a graph build's merge is aborted, not left to fail on a closed writer
    if (slot.current() != null && slot.buffered.any()) {
      LOG.log(System.Logger.Level.WARNING, "closing index {0} with uncommitted writes: they are discarded", path);
    }
    metrics.close();
    try {
      // Closes every one even if an earlier one fails, then rethrows the first failure.
      IOUtils.close(readers, slot.current(), directory);
    } catch (IOException e) {
      throw Failures.of("error while closing index " + path, e);
    }
  }
}
