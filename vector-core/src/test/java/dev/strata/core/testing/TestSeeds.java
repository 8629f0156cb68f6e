package dev.strata.core.testing;

/**
 * Seeds for randomized tests. A run picks one seed (or takes {@code -Dtests.seed=N}) and every
 * assertion that depends on it names it, so a failure is reproducible. {@code -Dtests.multiplier}
 * scales iteration counts for longer runs, as in Lucene's suite.
 */
public final class TestSeeds {
  private static final long RUN_SEED =
      Long.getLong("tests.seed", System.nanoTime() ^ 0x5DEECE66DL);

  private TestSeeds() {}

  /** This run's seed mixed with a per-test salt, so tests do not share streams. */
  public static long seed(String salt) {
    return RUN_SEED * 31 + salt.hashCode();
  }

  public static long runSeed() {
    return RUN_SEED;
  }

  public static int multiplier() {
    return Integer.getInteger("tests.multiplier", 1);
  }

  /** Text to put in assertion descriptions. */
  public static String describe(long seed) {
    return "seed=" + seed + " (rerun with -Dtests.seed=" + RUN_SEED + ")";
  }
}
