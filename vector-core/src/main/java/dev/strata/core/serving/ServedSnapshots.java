package dev.strata.core.serving;

import dev.strata.core.Embedder;
import dev.strata.core.IndexSchema;
import dev.strata.core.SearchRequest;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.search.SearchRunner;
import dev.strata.core.internal.search.SnapshotSearcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DirectoryReader;

/**
 * The swap mechanics behind a {@link SearcherHandle}: the published snapshot, the standby of
 * another index kept for a swap back, and the reference counting that closes a reader when its
 * last view is closed. Reads of {@link #current()} never block; {@link #swap} and {@link
 * #release()} must be serialized by the caller (the handle's swap lock), which is also where the
 * alias following and the refresh listeners live.
 */
final class ServedSnapshots {
  /** One open snapshot plus what searching it needs. */
  record Served(SearchRunner search, SnapshotSearcher searcher, DirectoryPool.Shared directory, Embedder embedder) {
    SnapshotInfo snapshot() {
      return searcher.snapshot();
    }

    Path index() {
      return search.index();
    }
  }

  private final DirectoryPool directories = new DirectoryPool();
  private final AtomicInteger openReaders = new AtomicInteger();
  private final AtomicLong swaps = new AtomicLong();
  private volatile Served current;
  private Served standby; // guarded by the caller's lock: the last view of another index

  /** The view new acquires get; null before the first swap. */
  Served current() {
    return current;
  }

  /** Readers opened here and not yet closed (current, standby, and those views still hold). */
  int openReaders() {
    return openReaders.get();
  }

  /** Views published, the first included. */
  long swaps() {
    return swaps.get();
  }

  /**
   * Opens {@code snapshot} of {@code target} (sharing segments with a reader of the same index when
   * one is open), checks it against the current view's schema and model, warms it, and publishes
   * it. On failure nothing is published and nothing leaks.
   */
  SnapshotInfo swap(Path target, String snapshot, Embedder embedder) {
    Served old = current;
    boolean sameIndex = old != null && old.index().equals(target);
    Served base = sameIndex ? old : standby != null && standby.index().equals(target) ? standby : null;
    DirectoryPool.Shared directory = base != null ? base.directory.retain() : directories.open(target);
    DirectoryReader reader;
    try {
      reader = SwapTargets.openReader(
          target, directory, snapshot, base == null ? null : (DirectoryReader) base.searcher.getIndexReader());
    } catch (IOException | RuntimeException e) {
      directory.release();
      throw e instanceof IOException io
          ? new StrataException("cannot open index " + target + " for searching: " + e, io)
          : (RuntimeException) e;
    }
    if (reader == null) { // base already reads exactly that commit
      directory.release();
      if (base == old) {
        return old.snapshot();
      }
      Embedder nextEmbedder = compatible(old, target, base.search.schema(), embedder);
      publish(new Served(base.search, base.searcher, base.directory, nextEmbedder), old, base);
      return base.snapshot();
    }
    openReaders.incrementAndGet();
    reader.getReaderCacheHelper().addClosedListener(key -> {
      openReaders.decrementAndGet();
      directory.release();
    });
    Served next;
    try {
      IndexSchema schema = CommitData.schema(reader.getIndexCommit().getUserData());
      Embedder nextEmbedder = compatible(old, target, schema, embedder);
      SearchRunner search =
          base != null && schema.equals(base.search.schema()) ? base.search : new SearchRunner(target, schema);
      next = new Served(search, new SnapshotSearcher(reader), directory, nextEmbedder);
      warm(next);
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader, e);
      throw e instanceof IOException io
          ? new StrataException("cannot read snapshot of index " + target + ": " + e, io)
          : (RuntimeException) e;
    }
    publish(next, old, null);
    return next.snapshot();
  }

  /** Gives back the references on the current view and the standby; views still held stay usable. */
  void release() {
    if (current != null) {
      decRef(current);
    }
    if (standby != null) {
      decRef(standby);
      standby = null;
    }
  }

  /**
   * Makes {@code next} the view new acquires get. An old view of another index is kept as the
   * standby (its reader stays open), so swapping back, as a blue/green rollback does, reuses it
   * instead of opening and preloading every file again; any other view is released.
   *
   * @param promoted the standby that {@code next} reuses (its reference moves to current), or null
   */
  private void publish(Served next, Served old, Served promoted) {
    current = next;
    swaps.incrementAndGet();
    Served release = null;
    if (promoted != null) {
      standby = old;
    } else if (old != null && !old.index().equals(next.index())) {
      release = standby;
      standby = old;
    } else {
      release = old; // same index: the standby, if any, is of another and stays
    }
    if (release != null) {
      decRef(release);
    }
  }

  private static Embedder compatible(Served old, Path target, IndexSchema next, Embedder offered) {
    return SwapTargets.checkCompatible(
        old == null ? null : old.search.schema(), old == null ? null : old.embedder, target, next, offered);
  }

  /**
   * One search before the view is published, so lazily built per-segment state is not built on a
   * query's time.
   */
  private static void warm(Served view) {
    float[] probe = new float[view.search.schema().dimension()];
    probe[0] = 1; // a unit vector: valid for every similarity
    view.search.runUnguarded(view.searcher, SearchRequest.builder(probe).k(10).build());
  }

  private static void decRef(Served view) {
    try {
      view.searcher.getIndexReader().decRef();
    } catch (IOException e) {
      throw new StrataException("cannot close snapshot " + view.snapshot().id() + " of index " + view.index() + ": " + e, e);
    }
  }

  private static void closeQuietly(DirectoryReader reader, Exception primary) {
    try {
      reader.close();
    } catch (IOException | RuntimeException suppressed) {
      primary.addSuppressed(suppressed);
    }
  }
}
