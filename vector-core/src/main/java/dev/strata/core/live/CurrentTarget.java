package dev.strata.core.live;

import dev.strata.core.IndexLockedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexAlias;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The index a live index writes to and reads from now, and how it moves when the alias it
 * was opened through names another index: a writer moves with its uncommitted writes replayed on
 * the new target; a reader just moves. Reads hold the read side of {@link #switching} so the index
 * they run on is not closed under them; a move takes the write side for the swap alone.
 */
final class CurrentTarget {
  private static final System.Logger LOG = System.getLogger("dev.strata.core.live.LiveIndex"); // one logger for the live index
  private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

  private final Path aliasFile; // null when not opened through an alias
  private final IndexOptions options;
  private final ReentrantReadWriteLock switching = new ReentrantReadWriteLock();
  private final AtomicLong moves = new AtomicLong();
  private volatile VectorIndex index;

  CurrentTarget(VectorIndex index, Path aliasFile) {
    this.index = index;
    this.aliasFile = aliasFile;
    this.options = index.options();
  }

  VectorIndex index() {
    return index;
  }

  Path aliasFile() {
    return aliasFile;
  }

  long moves() {
    return moves.get();
  }

  /** Runs {@code reader} on the current index after {@code check}, with no move until it returns. */
  <T> T read(Runnable check, Function<VectorIndex, T> reader) {
    switching.readLock().lock();
    try {
      check.run();
      return reader.apply(index);
    } finally {
      switching.readLock().unlock();
    }
  }

  /** The index the alias names now, or null when that is still the current one (or there is no alias). */
  Path aliasMovedTo() {
    if (aliasFile == null) {
      return null;
    }
    Path named = IndexAlias.read(aliasFile).index();
    return samePath(named, index.path()) ? null : named;
  }

  /**
   * Opens {@code target}, replays {@code uncommitted} (every write not yet committed, in order) into
   * it, and makes it current; the old index is closed, its buffered writes now replayed. Callers
   * hold every write out (a group commit round).
   */
  void moveWithWrites(Path target, List<Write> uncommitted, long bufferedRecords) {
    VectorIndex next = openWaitingForLock(target);
    try {
      for (Write write : uncommitted) {
        write.applyTo(next);
      }
    } catch (RuntimeException e) {
      next.close();
      throw new StrataException("cannot move the writer of alias " + aliasFile + " from " + index.path() + " to "
          + target + ": " + e.getMessage() + "; nothing was committed to either", e);
    }
    VectorIndex previous = swap(next, () -> false); // a writer moves with its writes already replayed on next
    LOG.log(System.Logger.Level.INFO, "alias " + aliasFile + " moved from " + previous.path() + " to " + target
        + "; this writer follows with " + bufferedRecords + " uncommitted records");
    previous.close();
  }

  /** A read-only live index: when the alias moves, the next searches go to its new target. */
  void followQuietly(java.util.function.BooleanSupplier closed) {
    try {
      Path moved = closed.getAsBoolean() ? null : aliasMovedTo();
      if (moved == null) {
        return;
      }
      VectorIndex previous = swap(VectorIndex.open(moved, options), closed);
      if (previous != null) {
        previous.close();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot follow alias " + aliasFile + "; searches stay on " + index.path(), e);
    }
  }

  /** Closes the current index once no read runs on it. */
  void closeIndex() {
    switching.writeLock().lock();
    try {
      index.close();
    } finally {
      switching.writeLock().unlock();
    }
  }

  /**
   * Makes {@code next} current once no read runs, unless {@code closed} says the live index closed
   * meanwhile (then {@code next} is closed instead); returns the index it replaced, or null.
   */
  private VectorIndex swap(VectorIndex next, java.util.function.BooleanSupplier closed) {
    switching.writeLock().lock();
    try {
      if (closed.getAsBoolean()) {
        next.close();
        return null;
      }
      VectorIndex previous = index;
      index = next;
      moves.incrementAndGet();
      return previous;
    } finally {
      switching.writeLock().unlock();
    }
  }

  private VectorIndex openWaitingForLock(Path target) {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      try {
        return VectorIndex.open(target, options);
      } catch (IndexLockedException e) {
        if (System.nanoTime() > deadline) {
          throw new StrataException("alias " + aliasFile + " moved to " + target + ", but this writer cannot follow: "
              + e.getMessage() + " (for " + LOCK_WAIT.toSeconds() + " s); no write was committed to the old index", e);
        }
        pause(Duration.ofMillis(50));
      }
    }
  }

  /** Sleeps between tries on a fence or a lock; an interrupt ends the wait with nothing committed. */
  static void pause(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("interrupted while waiting on a write fence; the buffered writes were not committed", e);
    }
  }

  private static boolean samePath(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
