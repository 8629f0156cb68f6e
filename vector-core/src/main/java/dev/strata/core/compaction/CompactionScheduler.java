package dev.strata.core.compaction;

import dev.strata.core.internal.io.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link CompactionPolicy} against one index in the background: every {@code checkEvery}
 * its own thread asks whether a compaction is due and, if so, runs it on a second thread, so
 * checks never queue behind a long merge. One compaction at a time; writers and searchers are
 * never blocked. A failed compaction is logged and counted and not tried again before a back-off
 * (doubling from {@code checkEvery}, at most an hour): never a tight retry loop.
 *
 * <p>{@link #tick()} does one check synchronously and is what the background thread calls; with a
 * controllable {@link Clock} it makes the scheduler testable without sleeping.
 */
public final class CompactionScheduler implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CompactionScheduler.class.getName());
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);

  /** What one check did. */
  public enum Outcome {
    /** No trigger fired (or outside the window). */
    NOT_DUE,
    /** A compaction ran and committed. */
    COMPACTED,
    /** A compaction is already running; this check did nothing. */
    ALREADY_RUNNING,
    /** The last compaction failed and its back-off has not passed. */
    BACKING_OFF,
    /** The compaction failed (logged, counted). */
    FAILED,
    /** The compaction was aborted by shutdown. */
    ABORTED,
    /** The scheduler was shut down: no new compaction starts. */
    STOPPED
  }

  private final Compactor compactor;
  private final CompactionPolicy policy;
  private final Clock clock;
  private final Duration checkEvery;
  private final AtomicLong compactions = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Object stateLock = new Object();
  private Instant lastRun; // guarded by stateLock: last successful compaction
  private Instant retryNotBefore; // guarded by stateLock
  private int consecutiveFailures; // guarded by stateLock
  private CompactionReport lastReport; // guarded by stateLock
  private ScheduledExecutorService checker;
  private ExecutorService worker;
  private volatile boolean stopped;

  /**
   * Runs {@code compactor} whenever {@code policy} fires, checked every {@code checkEvery} on
   * {@code clock}'s time.
   */
  public CompactionScheduler(Compactor compactor, CompactionPolicy policy, Clock clock, Duration checkEvery) {
    this.compactor = Objects.requireNonNull(compactor, "compactor");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("checkEvery must be positive, got " + checkEvery);
    }
    this.checkEvery = checkEvery;
  }

  /** Starts the background checks. */
  public synchronized CompactionScheduler start() {
    if (checker != null) {
      throw new IllegalStateException("scheduler already started");
    }
    checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("strata-compaction-check"));
    worker = Executors.newSingleThreadExecutor(DaemonThreads.named("strata-compaction"));
    long millis = Math.max(1, checkEvery.toMillis());
    checker.scheduleWithFixedDelay(() -> {
      if (!compactor.isRunning()) {
        worker.execute(this::tickQuietly);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check: runs a compaction in the calling thread if one is due. */
  public Outcome tick() {
    if (stopped) {
      return Outcome.STOPPED; // a check queued before shutdown must not start a compaction
    }
    Instant now = clock.instant();
    Instant last;
    synchronized (stateLock) {
      if (retryNotBefore != null && now.isBefore(retryNotBefore)) {
        return Outcome.BACKING_OFF;
      }
      last = lastRun;
    }
    if (compactor.isRunning()) {
      return Outcome.ALREADY_RUNNING;
    }
    CompactionReport report;
    try {
      List<String> triggers = compactor.due(policy, now, last);
      if (triggers.isEmpty()) {
        return Outcome.NOT_DUE;
      }
      report = compactor.compact(policy, triggers);
    } catch (IllegalStateException e) {
      if (compactor.isRunning()) {
        return Outcome.ALREADY_RUNNING; // another caller started one between the check and here
      }
      return failed(now, e);
    } catch (RuntimeException e) {
      return failed(now, e);
    }
    synchronized (stateLock) {
      lastReport = report;
      if (report.aborted()) {
        return Outcome.ABORTED;
      }
      lastRun = now;
      consecutiveFailures = 0;
      retryNotBefore = null;
    }
    compactions.incrementAndGet();
    return Outcome.COMPACTED;
  }

  private Outcome failed(Instant now, RuntimeException e) {
    Duration backoff;
    synchronized (stateLock) {
      consecutiveFailures++;
      backoff = checkEvery.multipliedBy(1L << Math.min(consecutiveFailures - 1, 20));
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
      retryNotBefore = now.plus(backoff);
    }
    failures.incrementAndGet();
    LOG.log(System.Logger.Level.ERROR,
        "compaction of " + compactor.index().path() + " failed (" + failures.get() + " failures so far); next try not before "
            + retryNotBefore() + " (back-off " + backoff + ")", e);
    return Outcome.FAILED;
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) { // tick reports compaction failures itself; this is a check that failed
      failures.incrementAndGet();
      LOG.log(System.Logger.Level.ERROR, "compaction check of " + compactor.index().path() + " failed", e);
    }
  }

  /** Compactions run so far. */
  public long compactions() {
    return compactions.get();
  }

  /** Compactions that failed so far. */
  public long failures() {
    return failures.get();
  }

  /** The last compaction's report, if one ran. */
  public Optional<CompactionReport> lastReport() {
    synchronized (stateLock) {
      return Optional.ofNullable(lastReport);
    }
  }

  /** When the next attempt may run after a failure; empty when not backing off. */
  public Optional<Instant> retryNotBefore() {
    synchronized (stateLock) {
      return Optional.ofNullable(retryNotBefore);
    }
  }

  /**
   * Stops the checks. With {@code abortRunning}, a running compaction is aborted (it commits
   * nothing); otherwise it is waited for, up to {@code timeout}.
   *
   * @return whether the background threads finished within {@code timeout}
   */
  public synchronized boolean shutdown(boolean abortRunning, Duration timeout) throws InterruptedException {
    stopped = true;
    if (checker == null) {
      if (abortRunning) {
        compactor.abort();
      }
      return true;
    }
    checker.shutdownNow();
    worker.shutdown();
    if (abortRunning) {
      compactor.abort();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean done = checker.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)
        && worker.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    return done;
  }

  /** Stops the checks and waits for a running compaction (up to a minute), then aborts it. */
  @Override
  public void close() {
    try {
      if (!shutdown(false, Duration.ofMinutes(1))) {
        shutdown(true, Duration.ofMinutes(1));
      }
    } catch (InterruptedException e) {
      compactor.abort();
      Thread.currentThread().interrupt();
    }
  }
}
