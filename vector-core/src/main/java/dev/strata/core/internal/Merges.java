package dev.strata.core.internal;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;

/** The forced merges of a compaction on one writer, throttled, and their abort. */
final class Merges {
  private final IndexWriter writer;
  private final Path path;
  private final StrataMergeScheduler scheduler;

  Merges(IndexWriter writer, Path path) {
    this.writer = writer;
    this.path = path;
    this.scheduler = (StrataMergeScheduler) writer.getConfig().getMergeScheduler();
  }

  /**
   * Expunges deletions and/or merges down to {@code maxSegments} (0: no limit), forced merges
   * throttled to {@code mbPerSec}; waits for the merges they cascade into.
   */
  void force(boolean expungeDeletes, int maxSegments, double mbPerSec) {
    throttled(mbPerSec, "merge", () -> {
      if (expungeDeletes) {
        writer.forceMergeDeletes(true);
      }
      if (maxSegments > 0) {
        // Segments flushed without their graph are rewritten even where nothing else merges them.
        GraphBuildingMergePolicy policy = policy();
        policy.rebuildGraphsOf(graphless());
        try {
          writer.forceMerge(maxSegments, true);
        } finally {
          policy.rebuildGraphsOf(Set.of());
        }
      }
      return null;
    });
  }

  /**
   * Merges the segments flushed without their graph, and those of {@code along} that still exist,
   * into one, whose graph the merge builds (a bulk load's graph build), unthrottled; waits for it. Returns how many segments it merged: 0 when none lacked a graph. With
   * {@code onlyIfRoom}, refuses to start when the disk has not room for the merged segment: a
   * background task must not fill it (a full disk takes the buffered writes with the writer).
   */
  int buildGraphs(Set<String> along, boolean onlyIfRoom) {
    return throttled(Double.POSITIVE_INFINITY, "graph build", () -> {
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
      GraphBuildingMergePolicy policy = policy();
      policy.mergeTogether(merged);
      try {
        writer.forceMerge(Integer.MAX_VALUE, true);
      } finally {
        policy.mergeTogether(Set.of());
      }
      return merged.size();
    });
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

  private interface MergeStep<T> {
    T run() throws IOException;
  }

  /** Runs {@code step} between running merges, forced merges throttled to {@code mbPerSec}. */
  private <T> T throttled(double mbPerSec, String what, MergeStep<T> step) {
    scheduler.setForceMergeMBPerSec(mbPerSec);
    try {
      scheduler.awaitRunningMerges(); // segments in a running merge are skipped by forced merges
      T result = step.run();
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

  private GraphBuildingMergePolicy policy() {
    return (GraphBuildingMergePolicy) writer.getConfig().getMergePolicy();
  }

  /** The segments the writer holds now that lack the graph they should have. */
  private Set<String> graphless() throws IOException {
    try (DirectoryReader pending = DirectoryReader.open(writer)) {
      return GraphlessSegments.of(pending);
    }
  }

  /** One line naming the root cause ("No space left on device"), not Lucene's chain of wrappers. */
  private StrataException failed(Exception e) {
    return new StrataException("merge failed on index " + path + ": " + Failures.rootMessage(e) + "; the last snapshot is"
        + " intact, and the half-written merge was discarded", e);
  }

  /** Waits (at most 30 s) until no merge thread runs, a failed one included. */
  void awaitMergeThreads() {
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
  boolean writerFailed() {
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

  /** Stops the merges running now; segments stay as they were. */
  void abort() {
    scheduler.abortRunningMerges();
  }
}
