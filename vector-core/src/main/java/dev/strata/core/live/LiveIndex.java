package dev.strata.core.live;

import dev.strata.core.Embedder;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.TextRecord;
import dev.strata.core.VectorSource;
import dev.strata.core.WriteFencedException;
import dev.strata.core.index.TextIndex;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.io.DaemonThreads;
import dev.strata.core.serving.IndexAlias;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link VectorIndex} inside a service that never stops writing: writes are committed by a
 * {@link CommitPolicy} (concurrent callers sharing one commit), and an index opened through an
 * alias is followed through a live migration ({@code index-admin rebuild --alias}): at the
 * migration's write fence, writes wait (about a second), then move to the new target with
 * everything not yet committed, so nothing acknowledged is left behind in the old index.
 *
 * <p>Reads go to the index the alias names now ({@link #search}, {@link #read}). A read-only live
 * index follows new commits within {@link IndexOptions#refreshInterval()} and a moved alias within
 * the same interval.
 *
 * <p>What a write call promises is its policy's (see {@link CommitPolicy}). A call that throws was
 * not acknowledged; its writes may still appear in a later commit (a failure after buffering), and
 * retrying it is safe, since upserts and deletes are idempotent. Concurrent calls are buffered in
 * no defined order among themselves, as with {@link VectorIndex}.
 *
 * <p>A writer that cannot move at the switch (another process holds the new target's write lock,
 * or the new target refuses its vectors because the migration changed the model) fails loudly:
 * it never commits to the old index, whose fence refuses every commit once the alias has moved.
 */
public final class LiveIndex implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveIndex.class.getName());
  private static final Duration FENCE_WAIT = Duration.ofSeconds(60);
  private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("strata-live"));

  private final CurrentTarget target;
  private final IndexOptions options;
  private final CommitPolicy policy;
  private final boolean ownsIndex;
  private final GroupCommit group = new GroupCommit();
  private final List<Write> uncommitted = new ArrayList<>(); // guarded by itself
  private final AtomicLong bufferedRecords = new AtomicLong();
  private final ScheduledFuture<?> background;
  private volatile RuntimeException backgroundFailure;
  private volatile boolean failingInBackground;
  private volatile boolean closed;
  private volatile List<Embedder> embedders = List.of();

  private LiveIndex(VectorIndex index, Path aliasFile, CommitPolicy policy, boolean ownsIndex) {
    this.target = new CurrentTarget(index, aliasFile);
    this.options = index.options();
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ownsIndex = ownsIndex;
    this.background = scheduleBackground();
  }

  /** Wraps {@code index}, which the caller keeps and closes after this. */
  public static LiveIndex of(VectorIndex index, CommitPolicy policy) {
    return new LiveIndex(Objects.requireNonNull(index, "index"), null, policy, false);
  }

  /**
   * Opens the index at {@code path}, creating it with {@code schema} if there is none ({@link
   * VectorIndex#openOrCreate}); closing the live index closes it.
   */
  public static LiveIndex openOrCreate(Path path, IndexSchema schema, IndexOptions options, CommitPolicy policy) {
    return new LiveIndex(VectorIndex.openOrCreate(path, schema, options), null, policy, true);
  }

  /**
   * Opens the existing index at {@code path} ({@link VectorIndex#open}: an {@link
   * dev.strata.core.IndexNotFoundException} where there is none); closing the live index closes it.
   */
  public static LiveIndex open(Path path, IndexOptions options, CommitPolicy policy) {
    return new LiveIndex(VectorIndex.open(path, options), null, policy, true);
  }

  /**
   * Opens the index {@code aliasFile} names (read-only if {@code options} say so), following the
   * alias when it moves. The alias must follow its target's latest commit: a writer on a pinned
   * alias would write where its readers never look.
   */
  public static LiveIndex openAlias(Path aliasFile, IndexOptions options, CommitPolicy policy) {
    IndexAlias alias = IndexAlias.read(aliasFile);
    if (!options.readOnly() && !alias.followsLatest()) {
      throw new IllegalArgumentException("alias " + aliasFile + " is pinned to snapshot " + alias.snapshotId()
          + " of " + alias.index() + ": its readers would never see these writes (point it at the latest commit"
          + " with 'index-admin alias set' without --snapshot, or write to the index itself)");
    }
    return new LiveIndex(VectorIndex.open(alias.index(), options), aliasFile, policy, true);
  }

  /** The index writes and reads go to now; after a migration, the new one. */
  public VectorIndex index() {
    return target.index();
  }

  /** When writes are committed. */
  public CommitPolicy policy() {
    return policy;
  }

  /** The alias this index follows, if it was opened through one. */
  public Optional<Path> alias() {
    return Optional.ofNullable(target.aliasFile());
  }

  /** Commits made by this live index so far (each may hold many callers' writes). */
  public long commits() {
    return group.rounds();
  }

  /** How many times this live index moved to a new target behind its alias. */
  public long moves() {
    return target.moves();
  }

  /** {@link VectorIndex#upsertAll(Collection, VectorSource)}, committed by the policy. */
  public void upsertAll(Collection<Record> records, VectorSource source) {
    List<Record> copy = List.copyOf(records);
    write(Write.of(copy.size(), target -> target.upsertAll(copy, source)));
  }

  /**
   * Embeds the texts with the {@linkplain #embedders(List) embedder} of the current target's model
   * and upserts them, committed by the policy. Across a migration that changes the model, the
   * writes not yet committed are embedded again with the new target's model when they move.
   */
  public void upsertTexts(List<TextRecord> records) {
    List<TextRecord> copy = List.copyOf(records);
    write(Write.of(copy.size(), target -> TextIndex.of(target, embedderFor(target)).upsertAll(copy)));
  }

  /**
   * The embedders {@link #upsertTexts} may use: the one whose fingerprint the current target
   * records is chosen. A service migrating from one model to another gives both, so its writes
   * follow the alias to the new model's index. Returns this live index.
   */
  public LiveIndex embedders(List<? extends Embedder> embedders) {
    this.embedders = List.copyOf(embedders);
    return this;
  }

  private Embedder embedderFor(VectorIndex target) {
    String model = target.schema().modelFingerprint();
    for (Embedder embedder : embedders) {
      if (model == null || embedder.fingerprint().matchesRecorded(model)) {
        return embedder;
      }
    }
    throw new IllegalStateException("no embedder given to the live index for the model of " + target.path() + " ("
        + model + "); pass one to embedders(...)");
  }

  /** {@link VectorIndex#deleteAll(Collection)}, committed by the policy. */
  public void deleteAll(Collection<String> ids) {
    List<String> copy = List.copyOf(ids);
    write(Write.of(copy.size(), target -> target.deleteAll(copy)));
  }

  /** {@link VectorIndex#deleteWhere(MetadataFilter)}, committed by the policy (counts as one record). */
  public void deleteWhere(MetadataFilter filter) {
    Objects.requireNonNull(filter, "filter");
    write(Write.of(1, target -> target.deleteWhere(filter)));
  }

  /** {@link VectorIndex#deleteAllRecords()}, committed by the policy (counts as one record). */
  public void deleteAllRecords() {
    write(Write.of(1, VectorIndex::deleteAllRecords));
  }

  /** Commits what is buffered now, whatever the policy, and returns the latest snapshot. */
  public SnapshotInfo flush() {
    ensureOpen();
    rethrowBackgroundFailure();
    group.commitNow(this::commitRound);
    return read(VectorIndex::latestSnapshot);
  }

  /** Searches the latest commit of the index the alias names now. */
  public SearchResult search(SearchRequest request) {
    return read(target -> target.search(request));
  }

  /** Runs {@code reader} on the current index, which stays current (no move) until it returns. */
  public <T> T read(Function<VectorIndex, T> reader) {
    return target.read(this::ensureOpen, reader);
  }

  private void write(Write write) {
    ensureOpen();
    VectorIndex index = target.index();
    if (options.readOnly()) {
      throw new IllegalStateException("live index on " + index.path() + " was opened read-only");
    }
    rethrowBackgroundFailure();
    long ticket;
    group.buffering.readLock().lock();
    try {
      ensureOpen();
      write.applyTo(target.index()); // invalid records throw here: nothing buffered, nothing to commit
      synchronized (uncommitted) {
        uncommitted.add(write);
      }
      bufferedRecords.addAndGet(write.records());
      ticket = group.issue();
    } finally {
      group.buffering.readLock().unlock();
    }
    boolean waits = switch (policy.kind()) {
      case EVERY_CALL -> true;
      case RECORDS -> bufferedRecords.get() >= policy.records();
      case INTERVAL, EXPLICIT -> false;
    };
    if (waits) {
      group.awaitDurable(ticket, this::commitRound);
    }
  }

  /** One group commit round; runs with every write excluded ({@link GroupCommit#buffering}). */
  private void commitRound() {
    try {
      commitOrFollow();
    } finally {
      synchronized (uncommitted) {
        uncommitted.clear(); // committed, or failed and told to the callers
      }
      bufferedRecords.set(0);
    }
  }

  private void commitOrFollow() {
    long deadline = System.nanoTime() + FENCE_WAIT.toNanos();
    boolean replayed = false;
    while (true) {
      try {
        target.index().commit("live commit (" + policy + ")");
        return;
      } catch (dev.strata.core.WritesLostException lost) {
        if (replayed) {
          throw lost;
        }
        replayed = true; // once: if the disk is still full, the replay's own commit fails and says so
        replayKeptWrites(lost);
      } catch (WriteFencedException fenced) {
        if (target.aliasFile() == null) {
          throw fenced;
        }
        Path moved = target.aliasMovedTo();
        if (moved != null) {
          List<Write> kept;
          synchronized (uncommitted) {
            kept = List.copyOf(uncommitted);
          }
          target.moveWithWrites(moved, kept, bufferedRecords.get()); // the loop commits them there
          continue;
        }
        if (System.nanoTime() > deadline) {
          throw new StrataException("gave up after " + FENCE_WAIT.toSeconds() + " s waiting for the write fence on "
              + target.index().path() + " to lift or alias " + target.aliasFile() + " to move: " + fenced.getMessage(),
              fenced);
        }
        CurrentTarget.pause(Duration.ofMillis(20));
      }
    }
  }

  /**
   * The writer closed on an error and took the buffered writes with it; this live index still holds
   * its own (kept until committed), so it writes them again and the round commits them. Writes made
   * to the index by other callers are not in its keeping: the warning says so.
   */
  private void replayKeptWrites(dev.strata.core.WritesLostException lost) {
    VectorIndex index = target.index();
    int replayed;
    synchronized (uncommitted) {
      for (Write write : uncommitted) {
        write.applyTo(index);
      }
      replayed = uncommitted.size();
    }
    LOG.log(System.Logger.Level.WARNING, "index " + index.path() + ": " + lost.getMessage() + " -- this live index"
        + " wrote its " + replayed + " kept writes again and commits them; writes other callers made directly to the"
        + " index since its last commit are not among them");
  }

  private ScheduledFuture<?> scheduleBackground() {
    Duration every = options.readOnly() ? options.refreshInterval()
        : policy.kind() == CommitPolicy.Kind.INTERVAL ? policy.interval() : null;
    if (every == null || every.isZero() || (options.readOnly() && target.aliasFile() == null)) {
      return null; // a read-only index without an alias refreshes by itself (IndexOptions)
    }
    long millis = Math.max(1, every.toMillis());
    ScheduledExecutorService scheduler = options.scheduler() != null ? options.scheduler() : THREAD;
    return scheduler.scheduleWithFixedDelay(options.readOnly() ? () -> target.followQuietly(() -> closed) : this::commitInBackground,
        millis, millis, TimeUnit.MILLISECONDS);
  }

  private void commitInBackground() {
    if (closed || !group.pending()) {
      return;
    }
    try {
      group.commitNow(this::commitRound);
      failingInBackground = false;
    } catch (RuntimeException e) {
      backgroundFailure = e;
      if (!failingInBackground) { // once per run of failures, not once an interval
        failingInBackground = true;
        LOG.log(System.Logger.Level.ERROR, "background commit of " + target.index().path() + " failed (and may go on failing);"
            + " the writes buffered since the last commit were not committed, and the next write call says so", e);
      }
    }
  }

  private void rethrowBackgroundFailure() {
    RuntimeException failure = backgroundFailure;
    if (failure != null) {
      backgroundFailure = null;
      throw new StrataException("a background commit of " + target.index().path() + " failed, so writes acknowledged before this"
          + " call may not be durable: " + failure.getMessage(), failure);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("live index on " + target.index().path() + " is closed");
    }
  }

  /**
   * Commits what is buffered (except under {@link CommitPolicy#explicit()}, which discards it with
   * a warning), then closes the index if this live index opened it. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (background != null) {
      background.cancel(false);
    }
    try {
      if (policy.kind() != CommitPolicy.Kind.EXPLICIT && !options.readOnly()) {
        group.commitNow(this::commitRound);
      }
    } finally {
      closed = true;
      if (ownsIndex) {
        target.closeIndex(); // after every read that began before the flag
      }
    }
  }

  @Override
  public String toString() {
    return "LiveIndex[" + target.index() + ", " + policy
        + (target.aliasFile() == null ? "" : ", alias " + target.aliasFile()) + "]";
  }
}
