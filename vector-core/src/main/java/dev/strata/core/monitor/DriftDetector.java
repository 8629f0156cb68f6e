package dev.strata.core.monitor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics behind the drift monitor: a baseline window and a recent window of observations
 * (one value per {@link RetrievalStatistic}), and a verdict each time the recent window moves.
 *
 * <p>Protocol of {@link #add}: the observation enters the recent window. With a frozen baseline,
 * the first {@code baselineWindow} observations fill the baseline instead and nothing is judged
 * until it is full. With a sliding one, the observation the recent window pushes out moves into
 * the baseline, unless the detector is drifted (a drift must not become the new normal). Once both
 * windows are full, each statistic's recent mean is measured against the baseline in baseline
 * standard deviations; any beyond the threshold makes the state DRIFTED; all back within half of it, NORMAL again.
 * Only a change of state produces an event. Not thread-safe: {@link RetrievalMonitor} locks.
 */
final class DriftDetector {
  private static final double MIN_RELATIVE_SPREAD = 0.01;
  private static final double MIN_SPREAD = 1e-6;
  /**
   * A drifted detector recovers only when every statistic is back within this share of the
   * threshold: right after a trip the recent window still holds the drifted observations, and
   * without the margin the state would flap at the threshold as normal ones replace the others.
   */
  static final double RECOVERY_SHARE = 0.5;

  private final MonitorOptions options;
  private final RollingWindow baseline;
  private final RollingWindow recent;
  private long observations;
  private boolean drifted;

  private final Clock clock;

  DriftDetector(MonitorOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    int statistics = RetrievalStatistic.ALL.length;
    this.baseline = new RollingWindow(options.baselineWindow(), statistics);
    this.recent = new RollingWindow(options.recentWindow(), statistics);
  }

  /** Adds one observation; returns the event it caused, or {@code null} when the state held. */
  DriftEvent add(double[] values) {
    observations++;
    if (options.baselineMode() == BaselineMode.FROZEN && !baseline.isFull()) {
      baseline.add(values);
      return null;
    }
    double[] evicted = recent.add(values);
    if (evicted != null && options.baselineMode() == BaselineMode.SLIDING && !drifted) {
      baseline.add(evicted);
    }
    if (!baseline.isFull() || !recent.isFull()) {
      return null;
    }
    int worst = 0;
    double worstSigmas = -1;
    for (int i = 0; i < RetrievalStatistic.ALL.length; i++) {
      double sigmas = sigmas(i);
      if (sigmas > worstSigmas) {
        worstSigmas = sigmas;
        worst = i;
      }
    }
    if (!drifted && worstSigmas > options.thresholdSigmas()) {
      drifted = true;
      return event(DriftEvent.Kind.DRIFTED, worst);
    }
    if (drifted && worstSigmas <= options.thresholdSigmas() * RECOVERY_SHARE) {
      drifted = false;
      return event(DriftEvent.Kind.RECOVERED, worst);
    }
    return null;
  }

  boolean drifted() {
    return drifted;
  }

  /** Forgets the recent window and the drifted state; the baseline stays. */
  DriftEvent reset() {
    recent.clear();
    drifted = false;
    return new DriftEvent(DriftEvent.Kind.RESET, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, observations, clock.instant());
  }

  /** Forgets both windows: the next observations make a new baseline (after a deliberate change). */
  DriftEvent rebaseline() {
    baseline.clear();
    return reset();
  }

  DriftStatus status() {
    boolean judging = baseline.isFull() && recent.isFull();
    List<DriftStatus.Statistic> statistics = new ArrayList<>();
    for (RetrievalStatistic statistic : RetrievalStatistic.ALL) {
      int i = statistic.ordinal();
      statistics.add(new DriftStatus.Statistic(statistic, baseline.mean(i), baseline.standardDeviation(i),
          recent.mean(i), judging ? sigmas(i) : Double.NaN));
    }
    DriftStatus.State state = drifted ? DriftStatus.State.DRIFTED
        : judging ? DriftStatus.State.NORMAL : DriftStatus.State.LEARNING;
    return new DriftStatus(state, observations, baseline.size(), recent.size(), statistics);
  }

  private double sigmas(int statistic) {
    double mean = baseline.mean(statistic);
    double spread = Math.max(baseline.standardDeviation(statistic),
        Math.max(MIN_SPREAD, MIN_RELATIVE_SPREAD * Math.abs(mean)));
    return Math.abs(recent.mean(statistic) - mean) / spread;
  }

  private DriftEvent event(DriftEvent.Kind kind, int statistic) {
    return new DriftEvent(kind, RetrievalStatistic.ALL[statistic], baseline.mean(statistic),
        baseline.standardDeviation(statistic), recent.mean(statistic), sigmas(statistic), observations, clock.instant());
  }
}
