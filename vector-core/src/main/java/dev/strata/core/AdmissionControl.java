package dev.strata.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Admission of the calls of one kind (searches of an index, embeddings of an embedder), the
 * protocol of {@code docs/design/admission.md}: at most {@link AdmissionLimits#maxRunning()} run,
 * at most {@link AdmissionLimits#maxQueued()} wait in arrival order, a call beyond both is refused
 * at once with {@link OverloadedException}, as is every call while the heap is fuller than {@link
 * AdmissionLimits#maxHeapFraction()} after a collection, and no call waits past its deadline. Writes never pass
 * through one: a flood of searches cannot stall a commit.
 */
public final class AdmissionControl {
  private final String resource;
  private final AdmissionLimits limits;
  private final Semaphore running;
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final AtomicLong meanRunNanos = new AtomicLong(1_000_000);
  private final DoubleSupplier heapUsed;
  private volatile Timer queueWait; // null until bound to a registry

  /** Admission of {@code resource} (e.g. "searches of index X"), within {@code limits}. */
  public AdmissionControl(String resource, AdmissionLimits limits) {
    this(resource, limits, HeapPressure.jvm()::usedAfterLastGc);
  }

  /** {@code heapUsed}: the heap's fullness after the last collection, 0 to 1 (tests give their own). */
  AdmissionControl(String resource, AdmissionLimits limits, DoubleSupplier heapUsed) {
    this.resource = resource;
    this.limits = limits;
    this.running = new Semaphore(limits.maxRunning(), true);
    this.heapUsed = heapUsed;
  }

  /** The limits this control applies. */
  public AdmissionLimits limits() {
    return limits;
  }

  /** Calls running now. */
  public int running() {
    return limits.maxRunning() - running.availablePermits();
  }

  /** Calls waiting now. */
  public int queued() {
    return queued.get();
  }

  /** Calls parked on the permits now (an estimate, as {@link Semaphore#getQueueLength()}); for tests. */
  int parked() {
    return running.getQueueLength();
  }

  /** Calls refused since this control was made. */
  public long rejected() {
    return rejected.sum();
  }

  /** Calls whose deadline passed while they waited, or while they ran ({@link #ranPastDeadline}). */
  public long timedOut() {
    return timedOut.sum();
  }

  /** Whether every permit is taken and the queue is at least half full: worth a health warning. */
  public boolean saturated() {
    return running.availablePermits() == 0 && queued.get() * 2 >= Math.max(1, limits.maxQueued());
  }

  /**
   * Meters on {@code registry}, named {@code prefix.running}, {@code .queued}, {@code .rejected},
   * {@code .timedout} and {@code .queue.wait}.
   */
  public void bindTo(MeterRegistry registry, String prefix, Tags tags) {
    Gauge.builder(prefix + ".running", this, AdmissionControl::running).tags(tags).register(registry);
    Gauge.builder(prefix + ".queued", this, AdmissionControl::queued).tags(tags).register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(prefix + ".rejected", this, c -> c.rejected())
        .description("calls refused because running and queued were full").tags(tags).register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(prefix + ".timedout", this, c -> c.timedOut())
        .description("calls whose deadline passed while they waited or ran").tags(tags).register(registry);
    queueWait = Timer.builder(prefix + ".queue.wait").description("time calls waited for admission").tags(tags)
        .register(registry);
  }

  /** Counts an admitted call that stopped at its deadline and answered with what it had. */
  public void ranPastDeadline() {
    timedOut.increment();
  }

  /** A taken place among the running calls; closing it (once) lets the next one in. */
  public final class Permit implements AutoCloseable {
    private final long enteredNanos = System.nanoTime();
    private boolean closed;

    private Permit() {}

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      long ran = System.nanoTime() - enteredNanos;
      meanRunNanos.updateAndGet(mean -> mean + (ran - mean) / 8); // a hint for retry-after, not a measurement
      running.release();
    }
  }

  /**
   * Waits for a place among the running calls, at most until {@code deadlineNanos} ({@link
   * System#nanoTime()} based; {@link Long#MAX_VALUE} for none).
   *
   * @param timeout the caller's timeout, for the message when the deadline passes
   * @throws OverloadedException at once, when as many calls run and wait as allowed, or the heap is too full
   * @throws DeadlineExceededException when the deadline passes while it waits
   */
  public Permit enter(long deadlineNanos, Duration timeout) {
    double heap = heapUsed.getAsDouble();
    if (heap > limits.maxHeapFraction()) {
      rejected.increment();
      // Only a collection changes the figure: a hint of one young collection's interval or more.
      throw OverloadedException.heapFull(resource, limits, queued.get(), heap, Duration.ofMillis(100));
    }
    if (tryNow()) {
      return new Permit();
    }
    int ahead = queued.getAndUpdate(q -> q < limits.maxQueued() ? q + 1 : q);
    if (ahead >= limits.maxQueued()) {
      rejected.increment();
      throw new OverloadedException(resource, limits.maxRunning(), ahead, limits.maxQueued(), retryAfter(ahead));
    }
    long waitStart = System.nanoTime();
    try {
      boolean admitted;
      if (deadlineNanos == Long.MAX_VALUE) {
        running.acquire();
        admitted = true;
      } else {
        admitted = running.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      if (!admitted) {
        timedOut.increment();
        throw new DeadlineExceededException("a call among the " + resource, timeout,
            "it waited " + (System.nanoTime() - waitStart) / 1_000_000 + " ms for admission behind " + ahead + " others");
      }
      return new Permit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("interrupted while waiting for admission to " + resource, e);
    } finally {
      queued.decrementAndGet();
      Timer wait = queueWait;
      if (wait != null) {
        wait.record(System.nanoTime() - waitStart, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** A permit now if one is free and nobody waits for it (the fair semaphore's order is kept). */
  private boolean tryNow() {
    try {
      return running.tryAcquire(0, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("interrupted while asking for admission to " + resource, e);
    }
  }

  private Duration retryAfter(int ahead) {
    long nanos = meanRunNanos.get() * (ahead + 1L) / Math.max(1, Math.min(limits.maxRunning(), 1 << 20));
    return Duration.ofNanos(Math.max(1_000_000, nanos));
  }
}
