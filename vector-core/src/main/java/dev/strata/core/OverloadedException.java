package dev.strata.core;

import java.time.Duration;

/**
 * A call refused at once because as many calls of its kind as allowed were running and as many
 * were waiting, or because the heap was nearly full ({@link AdmissionControl}): the service is
 * saturated. Back off before trying again,
 * starting from {@link #retryAfter()} and growing the wait with jitter; a tight retry loop is what
 * turns an overload into an outage.
 */
public final class OverloadedException extends StrataException {
  private final String resource;
  private final int maxRunning;
  private final int queued;
  private final int maxQueued;
  private final Duration retryAfter;

  /** {@code resource} (what was full, e.g. "searches of index X") refused with its limits and a hint. */
  public OverloadedException(String resource, int maxRunning, int queued, int maxQueued, Duration retryAfter) {
    this(resource + " are saturated: " + maxRunning + " running and " + queued + " of " + maxQueued
        + " queued, so this call was refused at once; " + backOff(retryAfter), resource, maxRunning, queued, maxQueued,
        retryAfter);
  }

  private OverloadedException(String message, String resource, int maxRunning, int queued, int maxQueued,
      Duration retryAfter) {
    super(message, false);
    this.resource = resource;
    this.maxRunning = maxRunning;
    this.queued = queued;
    this.maxQueued = maxQueued;
    this.retryAfter = retryAfter;
  }

  /**
   * {@code resource} refused because the JVM's heap was {@code usedFraction} full after its last
   * garbage collection, above the limit {@code maxFraction}: taking more work would risk an
   * {@link OutOfMemoryError}.
   */
  public static OverloadedException heapFull(String resource, AdmissionLimits limits, int queued, double usedFraction,
      Duration retryAfter) {
    return new OverloadedException(String.format(java.util.Locale.ROOT,
        "%s refused this call at once: the heap was %.0f%% full after the last garbage collection (limit %.0f%%);"
            + " %s", resource, 100 * usedFraction, 100 * limits.maxHeapFraction(), backOff(retryAfter)),
        resource, limits.maxRunning(), queued, limits.maxQueued(), retryAfter);
  }

  private static String backOff(Duration retryAfter) {
    return "back off (at least " + retryAfter.toMillis() + " ms, more with each retry) instead of retrying in a loop";
  }

  /** What was full, e.g. "searches of index /srv/idx". */
  public String resource() {
    return resource;
  }

  /** How many calls of this kind may run at once. */
  public int maxRunning() {
    return maxRunning;
  }

  /** How many were waiting when this one came. */
  public int queued() {
    return queued;
  }

  /** How many may wait. */
  public int maxQueued() {
    return maxQueued;
  }

  /** The estimated time for the calls ahead to finish: the least to wait before a retry. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
