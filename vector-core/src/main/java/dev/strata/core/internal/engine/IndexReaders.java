package dev.strata.core.internal.engine;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.PersistentCounters;
import dev.strata.core.internal.catalog.SegmentChecksums;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.internal.records.RecordDigests;
import dev.strata.core.internal.search.SearcherCall;
import dev.strata.core.internal.search.SnapshotSearcher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * The read side of an open index: one searcher on the latest commit, shared by every search and
 * refreshed after each commit, each built with its commit's manifest (read once, not per query).
 */
final class IndexReaders implements Closeable {
  private static final System.Logger LOG = System.getLogger(IndexReaders.class.getName());

  private final Path path;
  private final Directory directory;
  private final IndexSchema schema;
  private final SearcherManager searchers;
  private final SegmentChecksums checksums; // null when not checked
  private final RecordDigests servedDigests = new RecordDigests();
  /** Set when a served file failed its checksum: from then on no search answers from this index. */
  private volatile IndexDamagedException outOfService;
  private volatile Runnable damageListener = () -> {};
  private volatile IntegrityScrub scrub; // null when off
  private volatile AutoRefresh autoRefresh; // null unless read-only with a refresh interval

  IndexReaders(Path path, Directory directory, IndexSchema schema, boolean checksumOnOpen) throws IOException {
    this.path = path;
    this.directory = directory;
    this.schema = schema;
    this.checksums = checksumOnOpen ? new SegmentChecksums(path) : null;
    this.searchers = openSearchers(directory);
  }

  /**
   * Lucene's searcher manager on the latest commit. The files of that commit are opened, then
   * checked by name ({@link SegmentChecksums}): a writer in another process may commit on and its
   * retention delete them in between, and then the newer commit is opened instead.
   */
  private SearcherManager openSearchers(Directory directory) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return new SearcherManager(directory, new SnapshotSearcherFactory());
      } catch (NoSuchFileException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** What checks this index's files before they serve; null when {@code checksumOnOpen} is off. */
  SegmentChecksums checksums() {
    return checksums;
  }

  /**
   * Starts the background scrub {@code options} ask for, counting into {@code metrics}, and for a
   * read-only index the periodic refresh; both stop when these readers close.
   */
  void startBackgroundWork(dev.strata.core.IndexOptions options, IndexMetrics metrics) {
    this.damageListener = metrics::integrityFailed;
    if (options.readOnly()) {
      autoRefresh = AutoRefresh.schedule(path, options.refreshInterval(), this::refresh, options.scheduler());
    }
    if (options.scrubBytesPerSecond() > 0) {
      scrub = IntegrityScrub.schedule(path, options.scrubInterval(),
          () -> metrics.scrubbed(scrub(options.scrubBytesPerSecond())), options.scheduler());
    }
  }

  /** Runs {@code call} on the current snapshot's searcher, which it holds for the call only. */
  <T> T withSearcher(String failureMessage, SearcherCall<T> call) {
    IndexDamagedException damage = outOfService;
    if (damage != null) {
      throw damage;
    }
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException e) {
      throw Failures.of("cannot acquire a searcher on index " + path, e);
    }
    try {
      return call.apply((SnapshotSearcher) searcher);
    } catch (IOException e) {
      throw Failures.of(failureMessage, e);
    } finally {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot release a searcher on index " + path, e);
      }
    }
  }

  /** Opens a searcher on the latest commit if it changed (blocking until it is open). */
  void refresh() {
    for (int attempt = 1; ; attempt++) {
      try {
        searchers.maybeRefreshBlocking();
        return;
      } catch (IndexDamagedException e) {
        takeOutOfService(e);
        throw e;
      } catch (NoSuchFileException e) {
        if (attempt == 5) { // else: pruned by another process's writer while it opened; open the newer commit
          throw Failures.of("cannot refresh index " + path, e);
        }
      } catch (IOException e) {
        throw Failures.of("cannot refresh index " + path, e);
      }
    }
  }

  /**
   * Re-reads every file the current snapshot serves at {@code bytesPerSecond} (the background
   * scrub); a file that fails takes the index out of service.
   *
   * @return bytes read
   */
  long scrub(long bytesPerSecond) throws IOException {
    IndexCommit commit;
    IndexSearcher searcher = searchers.acquire();
    try {
      commit = ((DirectoryReader) searcher.getIndexReader()).getIndexCommit();
    } finally {
      searchers.release(searcher);
    }
    long started = System.nanoTime();
    long[] read = {0};
    try {
      return SegmentChecksums.scrub(path, directory, commit.getFileNames(), bytes -> {
        read[0] += bytes;
        long dueNanos = (long) (read[0] * 1e9 / bytesPerSecond);
        long aheadNanos = dueNanos - (System.nanoTime() - started);
        if (aheadNanos > 0) {
          Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
        }
      });
    } catch (IndexDamagedException e) {
      takeOutOfService(e);
      throw e;
    }
  }

  private void takeOutOfService(IndexDamagedException e) {
    if (outOfService == null) {
      outOfService = e;
      damageListener.run();
    }
  }

  /** Counts and sizes of the latest committed snapshot. */
  IndexStats stats(boolean graphBuildRunning) {
    return withSearcher("cannot read stats of index " + path, searcher -> {
      IndexReader reader = searcher.getIndexReader();
      return IndexStats.builder()
          .docs(reader.numDocs())
          .deletedDocs(reader.numDeletedDocs())
          .segments(reader.leaves().size())
          .graphlessSegments(searcher.graphlessSegments())
          .graphBuildRunning(graphBuildRunning)
          .bytes(bytesOnDisk())
          .schema(schema)
          .snapshot(searcher.snapshot())
          .metadataFields(searcher.metadataTypes().asMap())
          .counters(PersistentCounters.read(
              reader instanceof DirectoryReader d ? d.getIndexCommit().getUserData() : Map.of()))
          .build();
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

  @Override
  public void close() throws IOException {
    if (autoRefresh != null) {
      autoRefresh.close();
    }
    if (scrub != null) {
      scrub.close();
    }
    searchers.close();
  }

  /**
   * The live records must add up to the digest their commit recorded. Every file passes its own
   * checks when a deletions file ({@code .liv}) comes from a sibling copy of the same segment and
   * generation with as many deletions: only the records it leaves live differ, and searches would
   * answer with deleted ones. Sums are cached per segment and deletion generation, so a refresh adds
   * up only what changed; the first open reads every record's stored hash (doc values, a few ms per
   * million records).
   */
  private void requireRecordDigest(DirectoryReader reader) throws IOException {
    String recorded = CommitData.isStrataCommit(reader.getIndexCommit().getUserData())
        ? CommitData.snapshot(reader.getIndexCommit().getUserData()).recordDigest() : null;
    if (recorded == null || recorded.isEmpty()) {
      return; // an index from before digests
    }
    String actual = RecordDigests.format(servedDigests.digest(reader));
    if (!actual.equals(recorded)) {
      throw new IndexDamagedException(path, "the live records of snapshot "
          + CommitData.snapshot(reader.getIndexCommit().getUserData()).id() + " add up to record digest " + actual
          + ", but its commit recorded " + recorded + ": a segment's deletions file (.liv) or data was replaced by a"
          + " sibling copy's, and searches would answer with the wrong records");
    }
  }

  private final class SnapshotSearcherFactory extends SearcherFactory {
    @Override
    public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) throws IOException {
      DirectoryReader next = (DirectoryReader) reader;
      if (previousReader instanceof DirectoryReader previous) {
        long was = CommitData.snapshot(previous.getIndexCommit().getUserData()).id();
        long now = CommitData.snapshot(next.getIndexCommit().getUserData()).id();
        if (now < was) {
          throw new IndexDamagedException(path, "this process served snapshot " + was + ", but the newest commit point"
              + " on disk now holds snapshot " + now + ": a newer segments_N file was deleted or lost");
        }
      }
      if (checksums != null) { // the integrity checks at open, which checksumOnOpen(false) turns off
        checksums.beforeServing(next.getIndexCommit());
        requireRecordDigest(next);
      }
      return new SnapshotSearcher(next);
    }
  }
}
