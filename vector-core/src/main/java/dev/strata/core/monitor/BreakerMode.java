package dev.strata.core.monitor;

/** What searches do while the drift monitor is in the drifted state. */
public enum BreakerMode {
  /** Nothing: the monitor only logs, counts and tells listeners. */
  OFF,
  /**
   * Searches by vector throw {@link RetrievalDriftException} instead of returning hits, so a RAG
   * service answers "I don't know" rather than generate from nonsense.
   */
  FAIL_FAST,
  /** Searches return their hits flagged {@link dev.strata.core.SearchResult#degraded()}. */
  FLAG_DEGRADED
}
