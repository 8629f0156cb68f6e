package dev.strata.core.snapshot;

import dev.strata.core.Embedder;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.PinnedSnapshot;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.search.SearchMeters;
import dev.strata.core.internal.search.SearchRunner;
import dev.strata.core.internal.search.SnapshotSearcher;
import dev.strata.core.monitor.RetrievalMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Exactly one snapshot of one index, open for reading: a time-travel view from {@link
 * IndexHistory#open}, or the current view of a {@link dev.strata.core.serving.SearcherHandle} from {@link
 * dev.strata.core.serving.SearcherHandle#acquire}. Every search on it sees the same records, however the index or the
 * handle moves on meanwhile. Holds a reference on the snapshot's files until {@link #close()}
 * (idempotent); use it with try-with-resources. Thread-safe.
 */
public final class SnapshotView implements PinnedSnapshot {
  private final SearchRunner search;
  private final SnapshotSearcher searcher;
  private final Embedder embedder; // null: vector queries only
  private final RetrievalMonitor monitor; // null: searches unobserved
  private final SearchMeters meters; // null: searches unmetered
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * Takes over one reference on {@code searcher}'s reader, which {@link #close()} gives back. For
   * Strata's own packages: applications get views from the index, its history or a handle.
   */
  public SnapshotView(SearchRunner search, SnapshotSearcher searcher, Embedder embedder) {
    this(search, searcher, embedder, null, null);
  }

  /** As the constructor above, with the monitor and meters its searches report to (either may be null). */
  public SnapshotView(
      SearchRunner search, SnapshotSearcher searcher, Embedder embedder, RetrievalMonitor monitor, SearchMeters meters) {
    this.search = search;
    this.searcher = searcher;
    this.embedder = embedder;
    this.monitor = monitor;
    this.meters = meters;
  }

  /** The snapshot viewed. */
  public SnapshotInfo snapshot() {
    return searcher.snapshot();
  }

  /** The directory of the index this snapshot belongs to. */
  public Path indexPath() {
    return search.index();
  }

  /** The schema of the snapshot. */
  public IndexSchema schema() {
    return search.schema();
  }

  /** The embedder that matches this snapshot's model, when the view was given one. */
  public Optional<Embedder> embedder() {
    return Optional.ofNullable(embedder);
  }

  @Override
  public SearchResult search(SearchRequest request) {
    ensureOpen();
    long start = System.nanoTime();
    SearchResult result = search.run(searcher, request);
    if (meters != null) {
      meters.searched(request, result, System.nanoTime() - start);
    }
    return monitor == null ? result : monitor.observe(request, result, this::pinUnobserved);
  }

  /** Another, unobserved view of this snapshot (for a recall sample), or null once released. */
  private SnapshotView pinUnobserved() {
    return searcher.getIndexReader().tryIncRef() ? new SnapshotView(search, searcher, embedder, null, null) : null;
  }

  /**
   * Embeds {@code text} with this view's embedder and searches: query and snapshot always come
   * from the same model, even while a handle swaps between indexes built with different ones.
   *
   * @throws IllegalStateException if the view has no embedder
   */
  public SearchResult search(String text, int k, MetadataFilter filter) {
    ensureOpen();
    if (embedder == null) {
      throw new IllegalStateException(
          "view of index " + indexPath() + " has no embedder: open the handle with one to search by text");
    }
    return search(SearchRequest.builder(embedder.embed(text)).k(k).filter(filter)
        .source(VectorSource.model(embedder.fingerprint())).build());
  }

  /** The record {@code id} as this snapshot holds it. */
  public Optional<Record> get(String id) {
    ensureOpen();
    try {
      return searcher.get(id);
    } catch (IOException e) {
      throw new StrataException("cannot read record '" + id + "' from snapshot " + snapshot().id() + ": " + e, e);
    }
  }

  /**
   * Hands {@code consumer} every live record of this snapshot, vectors as stored, segment by
   * segment in document order: a full scan for exports and publishing, not a query.
   */
  public void forEachRecord(Consumer<Record> consumer) {
    ensureOpen();
    try {
      SnapshotSearcher.forEachRecord(searcher.getIndexReader(), consumer::accept);
    } catch (IOException e) {
      throw new StrataException("cannot read the records of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /**
   * The stored hash of every live record of this snapshot, by id: two snapshots' maps tell which
   * records were added, changed or deleted between them without reading vectors (a live
   * migration's catch-up). About 100 bytes of heap per record.
   */
  public java.util.Map<String, Long> recordHashes() {
    ensureOpen();
    try {
      return SnapshotSearcher.recordHashes(searcher.getIndexReader());
    } catch (IOException e) {
      throw new StrataException("cannot read the record hashes of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /**
   * Live records of this snapshot by source label ({@link Record#source}), most first; records
   * without a label are counted under {@code ""} (no label can be blank). Reads doc values only.
   */
  public java.util.Map<String, Long> recordsPerSource() {
    ensureOpen();
    try {
      return SnapshotSearcher.recordsPerSource(searcher.getIndexReader());
    } catch (IOException e) {
      throw new StrataException("cannot count the sources of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /** Live records in the snapshot. */
  public long liveCount() {
    ensureOpen();
    return searcher.getIndexReader().numDocs();
  }

  SnapshotSearcher searcher() {
    ensureOpen();
    return searcher;
  }

  /** Gives the snapshot back; its files close once no view or handle holds them. */
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

  private void ensureOpen() {
    if (released.get()) {
      throw new IllegalStateException(
          "view of snapshot " + snapshot().id() + " of index " + indexPath() + " was closed");
    }
  }
}
