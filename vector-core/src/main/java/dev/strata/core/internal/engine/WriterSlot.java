package dev.strata.core.internal.engine;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.PersistentCounters;
import dev.strata.core.internal.codecs.FlatFlushes;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.internal.records.PendingTypes;
import dev.strata.core.internal.records.RecordDigests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * One index's writer and what must change with it when it is replaced: the head snapshot, the
 * metadata types and counters of the commit it opened on, the record digests read through it, and
 * whether writes are buffered. A tragic error (a full disk) or a rollback replaces the writer;
 * everything here is then reset from the commit the new one opens at, under the commit lock's
 * write side. The commit, the writes and the merges reach the writer only through this slot.
 */
final class WriterSlot {
  private static final System.Logger LOG = System.getLogger(WriterSlot.class.getName());

  /** Writes share it, a commit takes it alone: a commit never records half of a batch. */
  final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

  final BufferedWrites buffered = new BufferedWrites(); // Lucene's own flag counts merges too
  final RecordDigests digests = new RecordDigests();
  final PendingTypes pendingTypes; // committed types plus those of buffered writes
  final PersistentCounters counters;

  private final Path path;
  private final IndexSchema schema;
  private final IndexOptions options;
  private final Directory directory; // the index's own, to read the commit a reopened writer starts at
  private final Directory writerDirectory;
  private final FlatFlushes flatFlushes;
  private volatile IndexWriter writer; // null when read-only
  private SnapshotInfo head; // guarded by commitLock

  WriterSlot(Path path, IndexSchema schema, IndexOptions options, Directory directory, Directory writerDirectory,
      FlatFlushes flatFlushes, Map<String, String> latestCommit) throws IOException {
    this.path = path;
    this.schema = schema;
    this.options = options;
    this.directory = directory;
    this.writerDirectory = writerDirectory;
    this.flatFlushes = flatFlushes;
    this.head = CommitData.snapshot(latestCommit);
    this.pendingTypes = new PendingTypes(CommitData.metadataTypes(latestCommit));
    this.counters = PersistentCounters.from(latestCommit);
    this.writer = options.readOnly() ? null : IndexWriters.open(path, writerDirectory, schema, options, null, flatFlushes);
  }

  /** The writer as it is: null when read-only, closed after a tragic error until reopened. */
  IndexWriter current() {
    return writer;
  }

  /** The writer, reopened first if a tragic error closed it. */
  IndexWriter writable() {
    IndexWriter current = writer;
    if (current == null) {
      throw new IllegalStateException("index " + path + " was opened read-only");
    }
    if (!current.isOpen()) {
      reopenFailed();
    }
    return writer;
  }

  /** The snapshot the next commit follows. Read under the commit lock, or for display only. */
  SnapshotInfo head() {
    return head;
  }

  /** The commit lock's write side is held: {@code next} is now the head. */
  void advanceTo(SnapshotInfo next) {
    head = next;
    buffered.cleared();
  }

  /**
   * Lucene closes its writer for good on a tragic error; reopening it at the intact last commit lets
   * writes go on once the cause is fixed. What was buffered since is gone, and the next commit of
   * the caller's says so ({@link BufferedWrites}).
   */
  void reopenFailed() {
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

  /**
   * A rollback, under the commit lock's write side with nothing buffered: closes the writer and
   * opens a new one on {@code target}, whose types become the pending ones.
   */
  IndexWriter reopenAt(IndexCommit target) throws IOException {
    writer.rollback(); // nothing buffered: this only closes it and releases the lock
    digests.forget();
    writer = IndexWriters.open(path, writerDirectory, schema, options, target, flatFlushes);
    pendingTypes.reset(CommitData.metadataTypes(target.getUserData()));
    return writer;
  }

  /** A write or commit failed; if the failure closed the writer, it says the buffered writes went with it. */
  StrataException writeFailed(String what, IOException e) {
    return Failures.of(what + (writer.isOpen() ? "" : "; the writer closed, and the writes buffered since snapshot "
        + head.id() + " are lost (it reopens at that snapshot on the next call; the next commit is refused once)"), e);
  }
}
