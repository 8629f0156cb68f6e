package dev.strata.core.monitor;

import java.time.Instant;
import java.util.Locale;

/**
 * A change of the drift monitor's state, as its listeners and log see it.
 *
 * @param kind what happened
 * @param statistic the statistic furthest from its baseline; {@code null} for {@code RESET}
 * @param baselineMean that statistic's mean over the baseline window
 * @param baselineStdDev its standard deviation over the baseline window
 * @param recentMean its mean over the recent window
 * @param sigmas {@code |recentMean - baselineMean|} in baseline standard deviations
 * @param observation how many searches the monitor had observed when it happened
 * @param at when it happened
 */
public record DriftEvent(
    Kind kind,
    RetrievalStatistic statistic,
    double baselineMean,
    double baselineStdDev,
    double recentMean,
    double sigmas,
    long observation,
    Instant at) {

  /** What changed in the monitor's verdict. */
  public enum Kind {
    /** A statistic's recent mean moved beyond the threshold: the breaker, if on, opens. */
    DRIFTED,
    /** Every statistic is back within half the threshold: the breaker closes. */
    RECOVERED,
    /** An operator reset the monitor (and so the breaker). */
    RESET
  }

  @Override
  public String toString() {
    if (statistic == null) {
      return kind + " at observation " + observation;
    }
    return String.format(Locale.ROOT, "%s: %s recent mean %.4f vs baseline %.4f +- %.4f (%.1f sigma) at observation %d",
        kind, statistic.tagValue(), recentMean, baselineMean, baselineStdDev, sigmas, observation);
  }
}
