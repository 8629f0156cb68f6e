package dev.strata.core.snapshot;

import dev.strata.core.Embedder;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.PinnedReader;
import dev.strata.core.PinnedSnapshot;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.monitor.RetrievalMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
  private final PinnedReader reader;
  private final Embedder embedder; // null: vector queries only
  private final RetrievalMonitor monitor; // null: searches unobserved
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * Takes over {@code reader}, which {@link #close()} closes. For Strata's own packages:
   * applications get views from the index, its history or a handle.
   */
  public SnapshotView(PinnedReader reader, Embedder embedder) {
    this(reader, embedder, null);
  }

  /** As the constructor above, with the monitor its searches report to (null: unobserved). */
  public SnapshotView(PinnedReader reader, Embedder embedder, RetrievalMonitor monitor) {
    this.reader = reader;
    this.embedder = embedder;
    this.monitor = monitor;
  }

  /** The snapshot viewed. */
  public SnapshotInfo snapshot() {
    return reader.snapshot();
  }

  /** The directory of the index this snapshot belongs to. */
  public Path indexPath() {
    return reader.indexPath();
  }

  /** The schema of the snapshot. */
  public IndexSchema schema() {
    return reader.schema();
  }

  /** The embedder that matches this snapshot's model, when the view was given one. */
  public Optional<Embedder> embedder() {
    return Optional.ofNullable(embedder);
  }

  @Override
  public SearchResult search(SearchRequest request) {
    ensureOpen();
    SearchResult result = reader.search(request);
    return monitor == null ? result : monitor.observe(request, result, this::pinUnobserved);
  }

  /** Another, unobserved view of this snapshot (for a recall sample), or null once released. */
  private SnapshotView pinUnobserved() {
    PinnedReader again = reader.pinAgain();
    return again == null ? null : new SnapshotView(again, embedder);
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
      return reader.get(id);
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
      reader.forEachRecord(consumer);
    } catch (IOException e) {
      throw new StrataException("cannot read the records of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /**
   * The stored hash of every live record of this snapshot, by id: two snapshots' maps tell which
   * records were added, changed or deleted between them without reading vectors. About 100 bytes
   * of heap per record: to compare two snapshots, {@link #changesSince} needs a tenth of that.
   */
  public Map<String, Long> recordHashes() {
    ensureOpen();
    try {
      return reader.recordHashes();
    } catch (IOException e) {
      throw new StrataException("cannot read the record hashes of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /**
   * Which records differ from {@code earlier} (a view of this index or of another, open) to this
   * snapshot, by id: both are walked in id order side by side, so heap grows with the changes and
   * 8 bytes per document, where {@link #recordHashes()} holds about 100 bytes per record. A live
   * migration's catch-up and {@code IndexHistory.diff} use it.
   */
  public RecordChanges changesSince(SnapshotView earlier) {
    ensureOpen();
    earlier.ensureOpen();
    try {
      return reader.changesSince(earlier.reader);
    } catch (IOException e) {
      throw new StrataException("cannot compare snapshot " + snapshot().id() + " of index " + indexPath()
          + " with snapshot " + earlier.snapshot().id() + " of index " + earlier.indexPath() + ": " + e, e);
    }
  }

  /**
   * Live records of this snapshot by source label ({@link Record#source}), most first; records
   * without a label are counted under {@code ""} (no label can be blank). Reads doc values only.
   */
  public Map<String, Long> recordsPerSource() {
    ensureOpen();
    try {
      return reader.recordsPerSource();
    } catch (IOException e) {
      throw new StrataException("cannot count the sources of snapshot " + snapshot().id() + " of index " + indexPath() + ": " + e, e);
    }
  }

  /** Live records in the snapshot. */
  public long liveCount() {
    ensureOpen();
    return reader.liveCount();
  }

  /** Gives the snapshot back; its files close once no view or handle holds them. */
  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      reader.close();
    }
  }

  private void ensureOpen() {
    if (released.get()) {
      throw new IllegalStateException(
          "view of snapshot " + snapshot().id() + " of index " + indexPath() + " was closed");
    }
  }
}
