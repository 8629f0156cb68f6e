package dev.strata.core;

import dev.strata.core.internal.SnapshotSearcher;
import java.io.IOException;
import java.util.Optional;

/**
 * One kept snapshot opened for reading, as it was when it was committed (time travel). Holds its
 * files open until closed, even if retention deletes the snapshot meanwhile. Thread-safe.
 */
public final class SnapshotView implements AutoCloseable {
  private final VectorIndex index;
  private final SnapshotSearcher searcher;
  private boolean closed;

  SnapshotView(VectorIndex index, SnapshotSearcher searcher) {
    this.index = index;
    this.searcher = searcher;
  }

  public SnapshotInfo snapshot() {
    return searcher.snapshot();
  }

  public SearchResult search(SearchRequest request) {
    return index.searchOn(searcher, request);
  }

  public Optional<Record> get(String id) {
    try {
      return searcher.get(id);
    } catch (IOException e) {
      throw new StrataException("cannot read record '" + id + "' from snapshot " + snapshot().id() + ": " + e, e);
    }
  }

  public long liveCount() {
    return searcher.getIndexReader().numDocs();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        searcher.getIndexReader().close();
      } catch (IOException e) {
        throw new StrataException("cannot close snapshot " + snapshot().id() + ": " + e, e);
      }
    }
  }
}
