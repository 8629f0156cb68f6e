package dev.strata.core.monitor;

import dev.strata.core.StrataException;

/**
 * A search refused by the circuit breaker ({@link BreakerMode#FAIL_FAST}): the retrieval drift
 * monitor saw queries stop resembling the ones the index serves, and returning their hits would
 * feed nonsense to whatever generates from them. Searches pass again when the statistics come back
 * or an operator calls {@link RetrievalMonitor#reset()}.
 */
public final class RetrievalDriftException extends StrataException {
  private final transient DriftEvent cause;

  /** A search refused by {@code monitor}'s open breaker, which {@code cause} opened. */
  public RetrievalDriftException(String monitor, DriftEvent cause) {
    super("search refused: retrieval drift on " + monitor + " (" + cause
        + "); the breaker closes when the statistics come back or an operator resets the monitor");
    this.cause = cause;
  }

  /** The event that opened the breaker. */
  public DriftEvent event() {
    return cause;
  }
}
