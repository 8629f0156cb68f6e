package dev.strata.core.monitor;

import java.util.List;

/**
 * Where the drift monitor stands.
 *
 * @param state learning its baseline, normal, or drifted
 * @param observations searches observed since creation (sampled ones only)
 * @param baselineObservations observations in the baseline window
 * @param recentObservations observations in the recent window
 * @param statistics each statistic's baseline and recent figures, in {@link RetrievalStatistic} order
 */
public record DriftStatus(
    State state, long observations, int baselineObservations, int recentObservations, List<Statistic> statistics) {

  public DriftStatus {
    statistics = List.copyOf(statistics);
  }

  /** The monitor's verdict. */
  public enum State {
    /** Still filling the baseline or recent window: no verdict yet. */
    LEARNING,
    NORMAL,
    DRIFTED
  }

  /**
   * One statistic's figures; means are NaN while their window is empty.
   *
   * @param sigmas {@code |recentMean - baselineMean|} in baseline standard deviations (with the
   *     floor described in {@link MonitorOptions#thresholdSigmas()}), NaN while learning
   */
  public record Statistic(
      RetrievalStatistic statistic, double baselineMean, double baselineStdDev, double recentMean, double sigmas) {}

  /** The figures of one statistic. */
  public Statistic statistic(RetrievalStatistic which) {
    return statistics.get(which.ordinal());
  }
}
