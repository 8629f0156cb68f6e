package dev.strata.core.serving;

import dev.strata.core.Embedder;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordChanges;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.fence.WriteFence;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A rebuild ({@link IndexRebuilder}) of the index an alias names while a service keeps writing to
 * it, then the switch, losing no write. After the bulk pass from one snapshot, catch-up rounds
 * apply what changed in the source since (ids added, changed or deleted, found by the per-record
 * hashes, re-embedded when the model changes) until little is left; then a short write fence on
 * the source ({@link dev.strata.core.WriteFencedException} for its commits), a final catch-up,
 * the check that the target holds exactly the source's records, and the alias moves. Writers that
 * follow the alias ({@link dev.strata.core.live.LiveIndex}) wait out the fence and move with what
 * they had not committed; a writer that does not follow has its commits refused, loudly.
 *
 * <p>The protocol, its invariant and why it holds are in {@code docs/design/live-migration.md}: one
 * migration per alias ({@link MigrationInProgressException}), a fence whose liveness is an OS lock
 * rather than a process id, a switch made under the fence lock only while the fence stands and its
 * lease has time left, and an alias compare-and-set ({@link AliasChangedException} if another
 * operator or migration moved it). If the migration fails, aborts or is killed before the switch,
 * the alias stays where it was and the fence blocks nothing.
 */
public final class LiveMigration {
  private static final int BATCH = 1_000;
  private static final System.Logger LOG = System.getLogger(LiveMigration.class.getName());

  /**
   * How the catch-up ends: rounds go on until one finds at most {@code smallEnough} changed records
   * or {@code maxRounds} were made; the fence holds at most {@code fenceTimeout} (the migration
   * gives up, lifting it, if its final catch-up takes longer, and does not raise it at all when the
   * rounds ran out and the last took more than half of it: {@link CatchUpTooSlowException});
   * {@code clock} stamps the fence's lease (default UTC; a test's fixed clock makes a lease lapse
   * without waiting).
   */
  public record Options(int smallEnough, int maxRounds, Duration fenceTimeout, Clock clock) {
    public static final Options DEFAULTS = new Options(1_000, 10, Duration.ofSeconds(30));

    public Options {
      if (smallEnough < 0 || maxRounds < 0 || fenceTimeout.isNegative() || fenceTimeout.isZero()) {
        throw new IllegalArgumentException("invalid live migration options: smallEnough " + smallEnough + ", maxRounds "
            + maxRounds + ", fenceTimeout " + fenceTimeout + " (need >= 0, >= 0 and positive)");
      }
      java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Options on the UTC clock. */
    public Options(int smallEnough, int maxRounds, Duration fenceTimeout) {
      this(smallEnough, maxRounds, fenceTimeout, Clock.systemUTC());
    }

    /** A builder from {@link #DEFAULTS}: {@code Options.builder().fenceTimeout(Duration.ofSeconds(5)).build()}. */
    public static Builder builder() {
      return new Builder(DEFAULTS);
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Sets options by name; {@link #build} checks them. */
    public static final class Builder {
      private int smallEnough;
      private int maxRounds;
      private Duration fenceTimeout;
      private Clock clock;

      private Builder(Options from) {
        this.smallEnough = from.smallEnough;
        this.maxRounds = from.maxRounds;
        this.fenceTimeout = from.fenceTimeout;
        this.clock = from.clock;
      }

      /** Catch-up ends once a round finds at most this many changed records (default 1,000). */
      public Builder smallEnough(int records) {
        this.smallEnough = records;
        return this;
      }

      /** Catch-up rounds before the fence at most (default 10). */
      public Builder maxRounds(int rounds) {
        this.maxRounds = rounds;
        return this;
      }

      /** The longest the fence may hold the source's writers (default 30 s). */
      public Builder fenceTimeout(Duration timeout) {
        this.fenceTimeout = java.util.Objects.requireNonNull(timeout, "fenceTimeout");
        return this;
      }

      /** Where the fence's lease reads the time (default UTC). */
      public Builder clock(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        return this;
      }

      /** The options; an {@link IllegalArgumentException} names a value out of range. */
      public Options build() {
        return new Options(smallEnough, maxRounds, fenceTimeout, clock);
      }
    }
  }

  /**
   * What a live migration did.
   *
   * @param bulkRecords records copied or re-embedded from {@code bulkSnapshot} in the bulk pass
   * @param bulk how long the bulk pass took (the rest of {@code elapsed} is catch-up and switch)
   * @param catchUpRounds rounds before the fence plus the final one under it
   * @param recordsCaughtUp records upserted or deleted in the target by every catch-up round
   * @param fenced how long the source's commits were fenced (raised to alias moved)
   * @param sourceAtFence the source snapshot the target matches exactly
   * @param snapshot the target's snapshot the alias now serves
   */
  public record Report(
      Path source, Path target, Path alias, SnapshotInfo bulkSnapshot, long bulkRecords, Duration bulk, int catchUpRounds,
      long recordsCaughtUp, Duration fenced, SnapshotInfo sourceAtFence, SnapshotInfo snapshot, IndexSchema schema,
      boolean reembedded, IndexAlias movedAlias, Duration elapsed) {}

  private LiveMigration() {}

  /**
   * Migrates the index {@code aliasFile} names to a new index at {@code target} and moves the alias
   * there; {@code embedder} null copies the vectors, else every text is embedded again.
   * {@code beforeSwitch} runs once the target is complete, before the fence (a golden-set check).
   */
  public static Report migrate(Path aliasFile, Path target, Embedder embedder, UnaryOperator<IndexSchema.Builder> schemaChanges,
      Options options, IndexRebuilder.Progress progress, Runnable beforeSwitch) {
    long start = System.nanoTime();
    try (MigrationLock ignored = MigrationLock.take(aliasFile, target)) {
      IndexAlias alias = IndexAlias.read(aliasFile); // under the migration lock: no other migration moves it now
      Path source = alias.index();
      IndexRebuilder.requireDistinct(source, target);
      IndexOptions readOnly = IndexOptions.builder().readOnly(true).refreshInterval(Duration.ZERO).build();
      try (VectorIndex reader = VectorIndex.open(source, readOnly)) {
        SnapshotView base = reader.openLatestSnapshot();
        IndexRebuilder.Built built;
        Duration bulk;
        try {
          built = IndexRebuilder.build(base, target, schemaChanges, embedder, progress);
          bulk = Duration.ofNanos(System.nanoTime() - start);
        } catch (RuntimeException | Error e) {
          base.close();
          throw e;
        }
        return catchUpAndSwitch(new Migration(aliasFile, alias, source, target, embedder, built, bulk, base.snapshot(),
            options, reader, start), base, beforeSwitch);
      }
    }
  }

  /** The state a migration carries from the bulk pass through the catch-up. */
  private record Migration(Path aliasFile, IndexAlias alias, Path source, Path target, Embedder embedder,
      IndexRebuilder.Built built, Duration bulk, SnapshotInfo bulkSnapshot, Options options, VectorIndex reader,
      long start) {}

  /**
   * The source snapshot the target holds so far, kept open so that the next round compares it with
   * the source's latest side by side in id order (no map of every id: a catch-up's heap grows with
   * the changes). Closing a superseded one lets the source drop its files.
   */
  private static final class CaughtUpTo implements AutoCloseable {
    private SnapshotView view;

    CaughtUpTo(SnapshotView view) {
      this.view = view;
    }

    void moveTo(SnapshotView next) {
      SnapshotView previous = view;
      view = next;
      previous.close();
    }

    @Override
    public void close() {
      view.close();
    }
  }

  private static Report catchUpAndSwitch(Migration m, SnapshotView base, Runnable beforeSwitch) {
    long caughtUp = 0;
    int rounds = 0;
    try (CaughtUpTo seen = new CaughtUpTo(base); VectorIndex out = VectorIndex.open(m.target())) {
      boolean converged = true;
      long changed = 0;
      Duration lastRound = Duration.ZERO;
      while (rounds < m.options().maxRounds()) {
        rounds++;
        long roundStart = System.nanoTime();
        changed = catchUp(m, seen, out, "catch-up round " + rounds).count();
        lastRound = Duration.ofNanos(System.nanoTime() - roundStart);
        caughtUp += changed;
        LOG.log(System.Logger.Level.INFO, "migration of {0} to {1}: catch-up round {2} copied {3} records in {4} ms",
            m.source(), m.target(), rounds, changed, lastRound.toMillis());
        converged = changed <= m.options().smallEnough();
        if (converged) {
          break;
        }
      }
      // The fenced round copies what the writers add meanwhile: about the last round's share, in
      // about its time. Fencing writers for a round that cannot end within the lease helps no one.
      if (!converged && lastRound.compareTo(m.options().fenceTimeout().dividedBy(2)) > 0) {
        throw new CatchUpTooSlowException(m.source(), m.target(), rounds, changed, lastRound, m.options().fenceTimeout());
      }
      long walkStart = System.nanoTime();
      try (SnapshotView target = out.openLatestSnapshot()) {
        MigrationCheck.sameIds(m.target(), target, seen.view); // every id walked, with no writer held
      }
      LOG.log(System.Logger.Level.INFO, "migration of {0} to {1}: the target holds the ids of source snapshot {2}"
          + " (checked in {3} ms, before the fence)", m.source(), m.target(), seen.view.snapshot().id(),
          (System.nanoTime() - walkStart) / 1_000_000);
      beforeSwitch.run();
      long fenceStart = System.nanoTime();
      try (WriteFence.Raised fence = WriteFence.raise(m.source(), m.aliasFile(), m.target(), m.alias().generation(),
          m.options().fenceTimeout(), m.options().clock())) {
        rounds++;
        RecordChanges finalRound = catchUp(m, seen, out, "final catch-up under the write fence");
        caughtUp += finalRound.count();
        SnapshotInfo atFence = seen.view.snapshot();
        SnapshotInfo last = out.latestSnapshot();
        try (SnapshotView target = out.openLatestSnapshot()) {
          MigrationCheck.finalRoundLanded(m.target(), target, atFence, finalRound, m.embedder() == null);
        }
        out.close(); // release the write lock before the switch: the alias's writers open it next
        String snapshot = m.alias().followsLatest() ? null : Long.toString(last.id());
        boolean modelChanges = m.embedder() != null;
        // The switch: under the fence lock, only while the fence stands and its lease has time left,
        // and only if the alias is still what this migration read (generation and index).
        IndexAlias moved = fence.moveAlias(lockWait ->
            IndexAlias.compareAndSet(m.aliasFile(), m.alias(), m.target(), snapshot, modelChanges, lockWait));
        Duration fenced = Duration.ofNanos(System.nanoTime() - fenceStart);
        return new Report(m.source(), m.target(), m.aliasFile(), m.bulkSnapshot(), m.built().snapshot().liveCount(),
            m.bulk(), rounds, caughtUp, fenced, atFence, last, m.built().schema(), modelChanges, moved,
            Duration.ofNanos(System.nanoTime() - m.start()));
      }
    }
  }

  /**
   * Applies to {@code out} what changed in the source's latest snapshot since {@code seen}, commits,
   * and moves {@code seen} to that snapshot; returns what changed.
   */
  private static RecordChanges catchUp(Migration m, CaughtUpTo seen, VectorIndex out, String what) {
    m.reader().refresh();
    SnapshotView now = m.reader().openLatestSnapshot();
    try {
      RecordChanges changes = now.changesSince(seen.view);
      List<Record> batch = new ArrayList<>(BATCH);
      for (List<String> ids : List.of(changes.added(), changes.changed())) {
        for (String id : ids) {
          batch.add(now.get(id).orElseThrow(() -> new IllegalStateException("record '" + id + "' is in snapshot "
              + now.snapshot().id() + "'s ids but cannot be read")));
          if (batch.size() == BATCH) {
            write(m, out, batch);
          }
        }
      }
      write(m, out, batch);
      if (!changes.removed().isEmpty()) {
        out.deleteAll(changes.removed());
      }
      if (changes.count() > 0) {
        out.commit(what + ": " + changes.count() + " records changed in " + m.source().getFileName() + " up to snapshot "
            + now.snapshot().id());
      }
      seen.moveTo(now);
      return changes;
    } catch (RuntimeException | Error e) {
      now.close();
      throw e;
    }
  }

  private static void write(Migration m, VectorIndex out, List<Record> batch) {
    if (!batch.isEmpty()) {
      IndexRebuilder.write(out, batch, m.embedder(), m.source());
      batch.clear();
    }
  }
}
