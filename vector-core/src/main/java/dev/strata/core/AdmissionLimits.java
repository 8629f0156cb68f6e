package dev.strata.core;

/**
 * How many calls of one kind may run at once and how many may wait behind them
 * ({@link AdmissionControl}); a call beyond both is refused with {@link OverloadedException}.
 *
 * @param maxRunning calls at once, at least 1
 * @param maxQueued calls waiting, at least 0 (0: refuse whenever all are running)
 */
public record AdmissionLimits(int maxRunning, int maxQueued) {
  public AdmissionLimits {
    if (maxRunning < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("admission limits need maxRunning >= 1 and maxQueued >= 0, got "
          + maxRunning + " and " + maxQueued);
    }
  }

  /** Searches of one index: processors + 1 at once (CPU-bound), 16 per processor waiting. */
  public static AdmissionLimits searches() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new AdmissionLimits(cores + 1, 16 * cores);
  }

  /**
   * Embeddings of one embedder: one per processor at once, 4 per processor waiting (an embedding
   * costs milliseconds: a longer queue only adds its wait to every admitted call; FloodHarness).
   */
  public static AdmissionLimits embeddings() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new AdmissionLimits(cores, 4 * cores);
  }

  /** No limit: every call is admitted (how Strata behaved before admission control). */
  public static AdmissionLimits unlimited() {
    return new AdmissionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }
}
