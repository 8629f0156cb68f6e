package dev.strata.core;

/**
 * How many calls of one kind may run at once and how many may wait behind them
 * ({@link AdmissionControl}); a call beyond both is refused with {@link OverloadedException}.
 *
 * @param maxRunning calls at once, at least 1
 * @param maxQueued calls waiting, at least 0 (0: refuse whenever all are running)
 * @param maxHeapFraction new calls are refused while the heap is fuller than this after the last
 *     garbage collection (a fraction of the maximum heap, above 0; 1 or more: never)
 */
public record AdmissionLimits(int maxRunning, int maxQueued, double maxHeapFraction) {
  /** The heap fraction above which calls are refused by default: near an OutOfMemoryError, not in normal use. */
  public static final double DEFAULT_MAX_HEAP_FRACTION = 0.90;

  public AdmissionLimits {
    if (maxRunning < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("admission limits need maxRunning >= 1 and maxQueued >= 0, got "
          + maxRunning + " and " + maxQueued);
    }
    if (!(maxHeapFraction > 0)) {
      throw new IllegalArgumentException("admission limits need maxHeapFraction > 0, got " + maxHeapFraction);
    }
  }

  /** {@code maxRunning} and {@code maxQueued}, refusing above {@link #DEFAULT_MAX_HEAP_FRACTION} of the heap. */
  public AdmissionLimits(int maxRunning, int maxQueued) {
    this(maxRunning, maxQueued, DEFAULT_MAX_HEAP_FRACTION);
  }

  /** These limits with another heap fraction (1 or more: calls are never refused for the heap). */
  public AdmissionLimits withMaxHeapFraction(double fraction) {
    return new AdmissionLimits(maxRunning, maxQueued, fraction);
  }

  /** Searches of one index: processors + 1 at once (CPU-bound), 16 per processor waiting. */
  public static AdmissionLimits searches() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new AdmissionLimits(cores + 1, 16 * cores);
  }

  /**
   * Embeddings of one embedder: two per processor at once (one for each of its workers, one more
   * waiting in its run queue so no worker idles), 3 per processor waiting (an embedding costs
   * milliseconds: a longer queue only adds its wait to every admitted call; FloodHarness).
   */
  public static AdmissionLimits embeddings() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new AdmissionLimits(2 * cores, 3 * cores);
  }

  /** No limit: every call is admitted (how Strata behaved before admission control). */
  public static AdmissionLimits unlimited() {
    return new AdmissionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Double.POSITIVE_INFINITY);
  }
}
