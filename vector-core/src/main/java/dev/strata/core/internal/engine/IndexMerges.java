package dev.strata.core.internal.engine;

import dev.strata.core.StrataException;
import dev.strata.core.internal.codecs.FlatFlushes;
import dev.strata.core.internal.codecs.GraphBuildingMergePolicy;
import dev.strata.core.internal.codecs.GraphlessSegments;
import dev.strata.core.internal.codecs.StrataMergeScheduler;
import dev.strata.core.internal.io.DiskRoom;
import dev.strata.core.internal.io.Failures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SegmentReader;

/**
 * The forced merges of one index's writer, one at a time and throttled: a compaction's (merges,
 * deletions expunged) and a bulk load's graph build (its segments flushed without their HNSW graph
 * merged into one). A merge that fails with a tragic error (a full disk) reopens the writer at the
 * last snapshot, so the half-written merge goes at once. Commits nothing: whoever asked commits.
 */
public final class IndexMerges {
  private final Path path;
  private final WriterSlot slot;
  private final FlatFlushes flatFlushes;
  private final ReentrantLock mergeLock = new ReentrantLock();
  private final Set<String> mergeAlong = ConcurrentHashMap.newKeySet(); // a bulk load's segments flushed with graphs

  IndexMerges(Path path, WriterSlot slot, FlatFlushes flatFlushes) {
    this.path = path;
    this.slot = slot;
    this.flatFlushes = flatFlushes;
  }

  /**
   * Merges for a compaction: expunges deletions and/or merges down to {@code maxSegments} (0: no
   * limit), forced merges throttled to {@code mbPerSec}. Runs on Lucene's merge threads while
   * writes and searches go on; waits for the merges they cascade into; the result becomes a
   * snapshot at the next commit.
   */
  public void force(boolean expungeDeletes, int maxSegments, double mbPerSec) {
    merging(writer -> throttled(writer, mbPerSec, "merge", () -> {
      if (expungeDeletes) {
        writer.forceMergeDeletes(true);
      }
      if (maxSegments > 0) {
        // Segments flushed without their graph are rewritten even where nothing else merges them.
        GraphBuildingMergePolicy policy = policy(writer);
        try (DirectoryReader pending = DirectoryReader.open(writer)) {
          policy.rebuildGraphsOf(GraphlessSegments.of(pending));
        }
        try {
          writer.forceMerge(maxSegments, true);
        } finally {
          policy.rebuildGraphsOf(Set.of());
        }
      }
      return 0;
    }));
  }

  /** Stops the merges running now (a compaction being aborted, a close); segments stay as they were. */
  public void abort() {
    IndexWriter writer = slot.current();
    if (writer != null) {
      scheduler(writer).abortRunningMerges();
    }
  }

  /** Live docs, deleted docs and segments the writer holds now, uncommitted merges included. */
  public long[] pendingShape() {
    try (DirectoryReader pending = DirectoryReader.open(slot.writable())) {
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
  void bulkLoadStarted(IndexWriter writer) throws IOException {
    Set<String> committed = new HashSet<>();
    for (SegmentCommitInfo info : SegmentInfos.readLatestCommit(writer.getDirectory())) {
      committed.add(info.info.name);
    }
    try (DirectoryReader pending = DirectoryReader.open(writer)) { // flushes every buffered record
      for (String name : segmentNames(pending)) {
        if (!committed.contains(name)) {
          mergeAlong.add(name);
        }
      }
    }
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
    return buildGraphs(false); // the caller asked for it: a full disk fails it with Lucene's own error
  }

  /**
   * Merges the segments flushed without their graph, and those the load flushed with one, into
   * one, unthrottled; waits for it. Returns how many segments it merged. With {@code onlyIfRoom},
   * refuses to start when the disk has not room for the merged segment: a background task must not
   * fill it (a full disk takes the buffered writes with the writer).
   */
  int buildGraphs(boolean onlyIfRoom) {
    Set<String> along = Set.copyOf(mergeAlong);
    mergeAlong.removeAll(along);
    return merging(writer -> throttled(writer, Double.POSITIVE_INFINITY, "graph build", () -> {
      Set<String> merged;
      try (DirectoryReader pending = DirectoryReader.open(writer)) {
        merged = new HashSet<>(GraphlessSegments.of(pending));
        if (merged.isEmpty()) {
          return 0;
        }
        long bytes = 0;
        for (LeafReaderContext leaf : pending.leaves()) {
          if (FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader segment
              && (merged.contains(segment.getSegmentName()) || along.contains(segment.getSegmentName()))) {
            merged.add(segment.getSegmentName());
            bytes += segment.getSegmentInfo().sizeInBytes();
          }
        }
        if (onlyIfRoom) {
          DiskRoom.require(path, bytes, "a graph build merging " + merged.size() + " segment(s)");
        }
      }
      GraphBuildingMergePolicy policy = policy(writer);
      policy.mergeTogether(merged);
      try {
        writer.forceMerge(Integer.MAX_VALUE, true);
      } finally {
        policy.mergeTogether(Set.of());
      }
      return merged.size();
    }));
  }

  /** The names of {@code reader}'s segments. */
  static List<String> segmentNames(DirectoryReader reader) {
    List<String> names = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      if (FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader segment) {
        names.add(segment.getSegmentName());
      }
    }
    return names;
  }

  private interface WriterMerge {
    int run(IndexWriter writer);
  }

  private interface MergeStep {
    int run() throws IOException;
  }

  private int merging(WriterMerge call) {
    mergeLock.lock();
    try {
      IndexWriter writer = slot.writable();
      StrataMergeScheduler scheduler = scheduler(writer); // a writer closed by a tragic error refuses getConfig
      try {
        return call.run(writer);
      } catch (RuntimeException e) {
        // Lucene wakes the waiting forceMerge before its merge thread marks the failure tragic and
        // rolls the writer back: wait for that thread, or the half-written merge would stay on disk.
        awaitMergeThreads(scheduler);
        if (writerFailed(writer)) {
          slot.reopenFailed(); // a new writer deletes the half-written merge now, not at the next write
        }
        throw e;
      }
    } finally {
      mergeLock.unlock();
    }
  }

  /** Runs {@code step} between running merges, forced merges throttled to {@code mbPerSec}. */
  private int throttled(IndexWriter writer, double mbPerSec, String what, MergeStep step) {
    StrataMergeScheduler scheduler = scheduler(writer);
    scheduler.setForceMergeMBPerSec(mbPerSec);
    try {
      scheduler.awaitRunningMerges(); // segments in a running merge are skipped by forced merges
      int result = step.run();
      scheduler.awaitRunningMerges(); // merges the forced ones cascaded into
      return result;
    } catch (IOException e) {
      throw failed(e);
    } catch (IllegalStateException e) {
      if (writer.getTragicException() == null) {
        throw e;
      }
      throw failed(e); // Lucene closed the writer on an I/O error (a full disk) and says so this way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException(what + " on index " + path + " interrupted; the last snapshot is intact", e);
    } finally {
      scheduler.setForceMergeMBPerSec(Double.POSITIVE_INFINITY);
    }
  }

  private static StrataMergeScheduler scheduler(IndexWriter writer) {
    return (StrataMergeScheduler) writer.getConfig().getMergeScheduler();
  }

  private static GraphBuildingMergePolicy policy(IndexWriter writer) {
    return GraphBuildingMergePolicy.of(writer.getConfig().getMergePolicy());
  }

  /** One line naming the root cause ("No space left on device"), not Lucene's chain of wrappers. */
  private StrataException failed(Exception e) {
    return new StrataException("merge failed on index " + path + ": " + Failures.rootMessage(e) + "; the last snapshot is"
        + " intact, and the half-written merge was discarded", e);
  }

  /** Waits (at most 30 s) until no merge thread runs, a failed one included. */
  private static void awaitMergeThreads(StrataMergeScheduler scheduler) {
    try {
      scheduler.awaitRunningMerges(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether the writer hit a tragic error and is closed for good (waiting the moment Lucene takes
   * to close it on the thread that hit it).
   */
  private static boolean writerFailed(IndexWriter writer) {
    if (writer.getTragicException() == null) {
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.isOpen() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    return true;
  }
}
