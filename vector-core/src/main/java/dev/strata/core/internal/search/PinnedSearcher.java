package dev.strata.core.internal.search;

import dev.strata.core.IndexSchema;
import dev.strata.core.PinnedReader;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One reference on a {@link SnapshotSearcher}'s reader, taken by whoever built this and given
 * back once by {@link #close()}: the engine's side of a snapshot view.
 */
public final class PinnedSearcher implements PinnedReader {
  private final SearchRunner search;
  private final SnapshotSearcher searcher;
  private final SearchMeters meters; // null: searches unmetered
  private final AtomicBoolean released = new AtomicBoolean();

  /** Takes over one reference on {@code searcher}'s reader; {@code meters} may be null. */
  public PinnedSearcher(SearchRunner search, SnapshotSearcher searcher, SearchMeters meters) {
    this.search = search;
    this.searcher = searcher;
    this.meters = meters;
  }

  @Override
  public SnapshotInfo snapshot() {
    return searcher.snapshot();
  }

  @Override
  public Path indexPath() {
    return search.index();
  }

  @Override
  public IndexSchema schema() {
    return search.schema();
  }

  @Override
  public SearchResult search(SearchRequest request) {
    long start = System.nanoTime();
    SearchResult result = search.run(searcher, request);
    if (meters != null) {
      meters.searched(request, result, System.nanoTime() - start);
    }
    return result;
  }

  @Override
  public Optional<Record> get(String id) throws IOException {
    return searcher.get(id);
  }

  @Override
  public void forEachRecord(Consumer<Record> consumer) throws IOException {
    SnapshotSearcher.forEachRecord(searcher.getIndexReader(), consumer::accept);
  }

  @Override
  public Map<String, Long> recordHashes() throws IOException {
    return SnapshotSearcher.recordHashes(searcher.getIndexReader());
  }

  @Override
  public RecordChanges changesSince(PinnedReader earlier) throws IOException {
    if (!(earlier instanceof PinnedSearcher other)) {
      throw new IllegalArgumentException("cannot compare snapshot " + snapshot().id() + " of index " + indexPath()
          + " with a reader Strata did not open: " + earlier);
    }
    return RecordJoin.between(other.searcher.getIndexReader(), searcher.getIndexReader());
  }

  @Override
  public Map<String, Long> recordsPerSource() throws IOException {
    return SnapshotSearcher.recordsPerSource(searcher.getIndexReader());
  }

  @Override
  public long liveCount() {
    return searcher.getIndexReader().numDocs();
  }

  @Override
  public PinnedReader pinAgain() {
    return searcher.getIndexReader().tryIncRef() ? new PinnedSearcher(search, searcher, null) : null;
  }

  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      try {
        searcher.getIndexReader().decRef();
      } catch (IOException e) {
        throw new StrataException("cannot close snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
      }
    }
  }
}
