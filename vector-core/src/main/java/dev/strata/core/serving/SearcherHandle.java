package dev.strata.core.serving;

import dev.strata.core.Embedder;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.io.DaemonThreads;
import dev.strata.core.internal.search.PinnedSearcher;
import dev.strata.core.internal.search.SearchMeters;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a RAG service holds for its lifetime to search an index that moves under it: {@link
 * #acquire()} gives a view of exactly one snapshot of one index, {@link #swapTo} moves the handle to
 * another snapshot or another index in one atomic step, and {@link #refresh()} to the latest commit
 * (or to wherever an alias now points).
 *
 * <p>Modelled on Lucene's {@code ReferenceManager}: each view holds a reference on its snapshot's
 * reader. A swap opens the new reader first (sharing unchanged segments with the old one when both
 * are in the same index; new files are preloaded into memory) and warms it with one search, on
 * the swapping thread, then publishes it, then drops the handle's own reference on the old one.
 * Queries that acquired the old view finish on it; every query that acquires afterwards gets the
 * new one; nothing blocks a query, and the old reader's files close when its last view is closed.
 *
 * <pre>{@code
 * try (SearcherHandle handle = SearcherHandle.openAlias(Path.of("products.alias"), embedder)) {
 *   handle.watch(Duration.ofSeconds(5)); // follow the alias when an operator repoints it
 *   try (SnapshotView view = handle.acquire()) {
 *     SearchResult result = view.search("how do I return a parcel?", 5, null);
 *   }
 * }
 * }</pre>
 *
 * <p>Guard rails: a swap to an index of another dimension or similarity is refused ({@link
 * dev.strata.core.SchemaMismatchException}), and so is one to an index built with another model ({@link
 * dev.strata.core.EmbeddingDriftException}) unless the caller passes the embedder of that model, which views then
 * carry: queries and index switch models together (a blue/green re-embedding). The handle never
 * closes the embedders it is given. Thread-safe.
 */
public final class SearcherHandle implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SearcherHandle.class.getName());

  private final Path aliasFile; // null for a handle opened on a directory
  private final Object swapLock = new Object();
  private final ServedSnapshots served = new ServedSnapshots(); // swaps guarded by swapLock
  private final AtomicLong refreshFailures = new AtomicLong();
  private IndexAlias alias; // guarded by swapLock
  private ScheduledExecutorService watcher; // guarded by swapLock; the handle's own, or null
  private ScheduledFuture<?> watchTask; // guarded by swapLock
  private final List<RefreshListener> refreshListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private volatile RetrievalMonitor monitor; // null: searches unobserved
  private volatile SearchMeters meters; // null: searches unmetered (see SearcherHandleMetrics)

  private SearcherHandle(Path aliasFile) {
    this.aliasFile = aliasFile;
  }

  /** A handle on {@code index}'s latest commit, for vector queries. */
  public static SearcherHandle open(Path index) {
    return open(index, null, null);
  }

  /**
   * A handle on one snapshot of {@code index}.
   *
   * @param snapshot an id or tag, or null for the latest commit
   * @param embedder the embedder of the index's model, for text queries; may be null
   */
  public static SearcherHandle open(Path index, String snapshot, Embedder embedder) {
    SearcherHandle handle = new SearcherHandle(null);
    handle.swap(index, snapshot, embedder);
    return handle;
  }

  /** A handle on the index and snapshot the alias in {@code aliasFile} names. */
  public static SearcherHandle openAlias(Path aliasFile) {
    return openAlias(aliasFile, null);
  }

  /** {@link #openAlias(Path)} with the embedder of the target's model, for text queries. */
  public static SearcherHandle openAlias(Path aliasFile, Embedder embedder) {
    SearcherHandle handle = new SearcherHandle(aliasFile);
    synchronized (handle.swapLock) {
      IndexAlias target = IndexAlias.read(aliasFile);
      handle.swap(target.index(), target.snapshotRef(), embedder);
      handle.alias = target;
    }
    return handle;
  }

  /**
   * The current view, for one query or a few that must agree. Never blocks; close it promptly
   * (try-with-resources), since it keeps its snapshot's files open.
   */
  public SnapshotView acquire() {
    while (true) {
      ensureOpen();
      ServedSnapshots.Served c = served.current();
      if (c.searcher().getIndexReader().tryIncRef()) {
        return new SnapshotView(new PinnedSearcher(c.search(), c.searcher(), meters), c.embedder(), monitor);
      }
      // A swap published a newer view and released this one between the read and the incRef.
    }
  }

  /**
   * Watches searches made through views acquired from now on with {@code monitor} (retrieval
   * drift, circuit breaker, recall estimate), or stops watching with {@code null}. The monitor
   * follows the handle across swaps; the caller closes it after the handle.
   */
  public SearcherHandle monitor(RetrievalMonitor monitor) {
    this.monitor = monitor;
    return this;
  }

  void meters(SearchMeters meters) {
    this.meters = meters;
  }

  /** The snapshot new views see. */
  public SnapshotInfo current() {
    ensureOpen();
    return served.current().snapshot();
  }

  /** The index directory new views search. */
  public Path indexPath() {
    ensureOpen();
    return served.current().index();
  }

  /** Moves to another kept snapshot (id or tag) of the current index; null means the latest. */
  public SnapshotInfo swapTo(String snapshot) {
    return swap(indexPath(), snapshot, null);
  }

  /** Moves to a snapshot of another index built with the same model; null means its latest. */
  public SnapshotInfo swapTo(Path index, String snapshot) {
    return swap(index, snapshot, null);
  }

  /**
   * Moves to a snapshot of another index, which may be built with another model if {@code
   * embedder} is that model's: views acquired from now on embed text queries with it.
   */
  public SnapshotInfo swapTo(Path index, String snapshot, Embedder embedder) {
    return swap(index, snapshot, Objects.requireNonNull(embedder, "embedder"));
  }

  /** {@link #swapTo(Path, String)} for an index this process has open. */
  public SnapshotInfo swapTo(VectorIndex index, String snapshot) {
    return swap(index.path(), snapshot, null);
  }

  /**
   * Moves to the latest commit of the current index; for a handle on an alias, first re-reads the
   * alias and moves to its target if an operator repointed it.
   */
  public SnapshotInfo refresh() {
    return refresh(null);
  }

  /** {@link #refresh()}, with the embedder to use if the alias now names an index of another model. */
  public SnapshotInfo refresh(Embedder embedderForNewModel) {
    synchronized (swapLock) {
      ensureOpen();
      if (aliasFile != null) {
        IndexAlias now = IndexAlias.read(aliasFile);
        if (!now.sameTarget(alias)) {
          SnapshotInfo moved = swap(now.index(), now.snapshotRef(), embedderForNewModel);
          alias = now;
          return moved;
        }
        alias = now;
        if (!now.followsLatest()) {
          return served.current().snapshot();
        }
      }
      return swap(served.current().index(), null, embedderForNewModel);
    }
  }

  /**
   * Calls {@link #refresh()} every {@code interval} on a background thread of the handle's own
   * until the handle is closed, so the handle follows new commits or alias repoints by itself. A
   * failed refresh keeps the current view, is logged and counted ({@link #refreshFailures()}), and
   * is tried again at the next interval, never sooner.
   */
  public void watch(Duration interval) {
    watch(interval, null);
  }

  /**
   * {@link #watch(Duration)} on {@code executor}, which the caller owns: closing the handle cancels
   * its task and never shuts the executor down. For services that run their background work on
   * their own threads (and tests that run it by hand).
   */
  public void watch(Duration interval, ScheduledExecutorService executor) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("watch interval must be positive, got " + interval);
    }
    synchronized (swapLock) {
      ensureOpen();
      if (watchTask != null) {
        throw new IllegalStateException("handle is already watching");
      }
      ScheduledExecutorService runner = executor;
      if (runner == null) {
        watcher = runner = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("strata-handle-watch"));
      }
      long millis = Math.max(1, interval.toMillis());
      watchTask = runner.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Adds a listener told before and after every refresh or swap (Lucene's {@code
   * ReferenceManager.RefreshListener} model): e.g. to warm a cache on the new view. Called on the
   * refreshing thread, under the handle's swap lock: a slow listener delays the next swap, never a
   * search.
   */
  public SearcherHandle addRefreshListener(RefreshListener listener) {
    refreshListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Removes a listener added before. */
  public void removeRefreshListener(RefreshListener listener) {
    refreshListeners.remove(listener);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      long failures = refreshFailures.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING,
          "refresh of " + (aliasFile != null ? "alias " + aliasFile : "index " + served.current().index())
              + " failed (" + failures + " so far); still serving snapshot " + served.current().snapshot().id()
              + ": " + e.getMessage());
    }
  }

  /** Swaps that published a new view since the handle opened (the first view included). */
  public long swapCount() {
    return served.swaps();
  }

  /** Background refreshes that failed since the handle opened. */
  public long refreshFailures() {
    return refreshFailures.get();
  }

  /**
   * Snapshot readers this handle opened that are still open: the current one, the standby (the
   * last one of another index, kept for a swap back), and any that views acquired before a swap
   * still hold. At most 2 once every view is closed; 0 once the handle is closed too.
   */
  public int openReaders() {
    return served.openReaders();
  }

  private SnapshotInfo swap(Path index, String snapshot, Embedder embedder) {
    synchronized (swapLock) {
      ensureOpen();
      ServedSnapshots.Served before = served.current();
      for (RefreshListener listener : refreshListeners) {
        listener.beforeRefresh();
      }
      try {
        return served.swap(index.toAbsolutePath().normalize(), snapshot, embedder);
      } finally {
        boolean swapped = served.current() != before;
        for (RefreshListener listener : refreshListeners) {
          listener.afterRefresh(swapped);
        }
      }
    }
  }

  /**
   * Stops watching and gives back the handle's reference on the current view. Views still held
   * stay usable; their files close when they are closed. Idempotent.
   */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (swapLock) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = watcher;
      if (watchTask != null) {
        watchTask.cancel(false);
      }
      served.release();
    }
    if (stopping != null) {
      stopping.shutdownNow();
      try {
        stopping.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    ServedSnapshots.Served c = served.current();
    return "SearcherHandle[" + (aliasFile != null ? "alias " + aliasFile + " -> " : "")
        + (c == null ? "none" : c.index() + " snapshot " + c.snapshot().id()) + (closed ? ", closed" : "") + "]";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("searcher handle is closed");
    }
  }
}
