package dev.strata.core.internal;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;

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
    scheduler.setForceMergeMBPerSec(mbPerSec);
    try {
      scheduler.awaitRunningMerges(); // segments in a running merge are skipped by forced merges
      if (expungeDeletes) {
        writer.forceMergeDeletes(true);
      }
      if (maxSegments > 0) {
        // Segments flushed without their graph are rewritten even where nothing else merges them.
        GraphBuildingMergePolicy policy = (GraphBuildingMergePolicy) writer.getConfig().getMergePolicy();
        try (DirectoryReader pending = DirectoryReader.open(writer)) {
          policy.rebuildGraphsOf(GraphlessSegments.of(pending));
        }
        try {
          writer.forceMerge(maxSegments, true);
        } finally {
          policy.rebuildGraphsOf(Set.of());
        }
      }
      scheduler.awaitRunningMerges(); // merges the forced ones cascaded into
    } catch (IOException e) {
      throw failed(e);
    } catch (IllegalStateException e) {
      if (writer.getTragicException() == null) {
        throw e;
      }
      throw failed(e); // Lucene closed the writer on an I/O error (a full disk) and says so this way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("merge on index " + path + " interrupted; the last snapshot is intact", e);
    } finally {
      scheduler.setForceMergeMBPerSec(Double.POSITIVE_INFINITY);
    }
  }

  /** One line naming the root cause ("No space left on device"), not Lucene's chain of wrappers. */
  private StrataException failed(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new StrataException("merge failed on index " + path + ": " + root.getMessage() + "; the last snapshot is"
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

  /** Stops the merges running now; segments stay as they were. */
  void abort() {
    scheduler.abortRunningMerges();
  }
}
