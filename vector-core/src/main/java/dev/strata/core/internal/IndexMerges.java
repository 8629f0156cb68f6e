package dev.strata.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * The forced merges of one index's writer, one at a time: a compaction's (merges, deletions
 * expunged) and a bulk load's graph build (its segments flushed without their HNSW graph merged
 * into one, in the background on {@link GraphBuilds}). A merge that fails with a tragic error
 * (a full disk) reopens the writer at the last snapshot, so the half-written merge goes at once.
 */
public final class IndexMerges implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IndexMerges.class.getName());

  private final Path path;
  private final Supplier<IndexWriter> writableWriter;
  private final Supplier<IndexWriter> currentWriter;
  private final Runnable reopenFailedWriter;
  private final Predicate<String> commitUnlessBuffered;
  private final FlatFlushes flatFlushes;
  private final ReentrantLock mergeLock = new ReentrantLock();
  private final GraphBuilds graphBuilds;
  private final Set<String> mergeAlong = ConcurrentHashMap.newKeySet(); // a bulk load's segments flushed with graphs

  /**
   * @param writableWriter the writer, reopened first if a tragic error closed it
   * @param currentWriter the writer as it is, or null when read-only
   * @param reopenFailedWriter reopens a writer a tragic error closed at the last snapshot
   * @param commitUnlessBuffered commits a message unless writes are buffered; whether it did
   * @param flatFlushes the bulk load's window, which a graph build on the caller's thread ends
   */
  IndexMerges(Path path, Supplier<IndexWriter> writableWriter, Supplier<IndexWriter> currentWriter,
      Runnable reopenFailedWriter, Predicate<String> commitUnlessBuffered, FlatFlushes flatFlushes) {
    this.path = path;
    this.writableWriter = writableWriter;
    this.currentWriter = currentWriter;
    this.reopenFailedWriter = reopenFailedWriter;
    this.commitUnlessBuffered = commitUnlessBuffered;
    this.flatFlushes = flatFlushes;
    this.graphBuilds = new GraphBuilds(path, this::buildGraphs, this::abort);
  }

  /**
   * Merges for a compaction: expunges deletions and/or merges down to {@code maxSegments} (0: no
   * limit), forced merges throttled to {@code mbPerSec}. Runs on Lucene's merge threads while
   * writes and searches go on; the result becomes a snapshot at the next commit.
   */
  public void force(boolean expungeDeletes, int maxSegments, double mbPerSec) {
    merging(merges -> {
      merges.force(expungeDeletes, maxSegments, mbPerSec);
      return 0;
    });
  }

  /** Stops the merges running now (a compaction being aborted); segments stay as they were. */
  public void abort() {
    IndexWriter writer = currentWriter.get();
    if (writer != null) {
      new Merges(writer, path).abort();
    }
  }

  /** Live docs, deleted docs and segments the writer holds now, uncommitted merges included. */
  public long[] pendingShape() {
    try (DirectoryReader pending = DirectoryReader.open(writableWriter.get())) {
      return new long[] {pending.numDocs(), pending.numDeletedDocs(), pending.leaves().size()};
    } catch (IOException e) {
      throw Failures.of("cannot read index " + path, e);
    }
  }

  /**
   * A bulk load began: what the writer buffered until now goes to disk (with graphs, built at
   * flush), and the segments written since the last commit are remembered, so the graph build
   * merges them along with the graph-less ones: the load ends as one segment, whose merge starts
   * from the largest graph among them instead of building it again.
   */
  void bulkLoadStarted() throws IOException {
    IndexWriter writer = writableWriter.get();
    Set<String> committed = new HashSet<>();
    for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(writer.getDirectory())) {
      committed.add(info.info.name);
    }
    try (DirectoryReader pending = DirectoryReader.open(writer)) { // flushes every buffered record
      for (String name : Merges.segmentNames(pending)) {
        if (!committed.contains(name)) {
          mergeAlong.add(name);
        }
      }
    }
  }

  /** Asks for a graph build in the background; returns at once. */
  void startGraphBuild() {
    graphBuilds.start();
  }

  /** Whether a graph build runs or waits to ({@link dev.strata.core.IndexOptions.Builder#bulkLoadRecords}). */
  public boolean graphBuildRunning() {
    return graphBuilds.running();
  }

  /** Waits at most {@code timeout} for the graph builds asked for so far; whether none is left. */
  public boolean awaitGraphBuild(Duration timeout) throws InterruptedException {
    return graphBuilds.await(timeout);
  }

  /**
   * Builds, on the calling thread and without committing, the graph of what a bulk load wrote
   * without one: what the writer buffered is flushed, then the graph-less segments (and those the
   * load flushed with one before it counted as one) are merged into one. The next commit holds the
   * load with its graph, as one snapshot, and starts no background build: the load's window ends
   * here, and what is written after it counts towards the next. Returns how many segments were
   * merged: 0 when none lacked a graph.
   */
  public int buildGraphsNow() {
    flatFlushes.endWindow(); // before the merge, whose flush then takes every segment the window wrote flat
    return build(false); // the caller asked for it: a full disk fails it with Lucene's own error
  }

  private int build(boolean onlyIfRoom) {
    Set<String> along = Set.copyOf(mergeAlong);
    mergeAlong.removeAll(along);
    return merging(merges -> merges.buildGraphs(along, onlyIfRoom));
  }

  /**
   * One background graph build (as {@link #buildGraphsNow} does it), committed as a snapshot of its own
   * unless writes are buffered (the next commit then takes it along).
   */
  private void buildGraphs() {
    IndexWriter writer = currentWriter.get();
    int merged;
    try {
      merged = build(true);
    } catch (RuntimeException e) {
      if (currentWriter.get() != writer && writer.getTragicException() == null) { // closed by a rollback, not by a failure
        LOG.log(System.Logger.Level.INFO, "graph build of index " + path + " stopped: the writer was reopened (a"
            + " rollback) under it; the snapshot rolled back to gets its own build if it needs one");
        return;
      }
      throw e;
    }
    if (merged > 0) {
      commitUnlessBuffered.test(
          "graph build: " + merged + " segment(s) of a bulk load merged into one with its HNSW graph");
    }
  }

  private int merging(ToIntFunction<Merges> call) {
    mergeLock.lock();
    try {
      Merges merges = new Merges(writableWriter.get(), path);
      try {
        return call.applyAsInt(merges);
      } catch (RuntimeException e) {
        // Lucene wakes the waiting forceMerge before its merge thread marks the failure tragic and
        // rolls the writer back: wait for that thread, or the half-written merge would stay on disk.
        merges.awaitMergeThreads();
        if (merges.writerFailed()) {
          reopenFailedWriter.run(); // a new writer deletes the half-written merge now, not at the next write
        }
        throw e;
      }
    } finally {
      mergeLock.unlock();
    }
  }

  /** Stops a running graph build and drops a waiting one. */
  @Override
  public void close() {
    graphBuilds.close();
  }
}
