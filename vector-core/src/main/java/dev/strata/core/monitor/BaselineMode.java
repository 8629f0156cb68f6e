package dev.strata.core.monitor;

/** How the drift monitor's baseline follows the stream of searches. */
public enum BaselineMode {
  /**
   * The first {@link MonitorOptions#baselineWindow()} observations, kept until {@link
   * RetrievalMonitor#rebaseline()}: any later shift, however slow, is measured against them.
   */
  FROZEN,
  /**
   * The last {@link MonitorOptions#baselineWindow()} observations before the recent window, taken
   * only while not drifted: follows slow, legitimate change (a growing corpus) but absorbs a drift
   * slower than the baseline window.
   */
  SLIDING
}
