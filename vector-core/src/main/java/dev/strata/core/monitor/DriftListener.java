package dev.strata.core.monitor;

/**
 * Told of each {@link DriftEvent}, on the searching thread whose observation caused it (so keep it
 * short: hand slow work to an executor). A listener that throws is logged and does not stop the
 * search or the other listeners.
 */
@FunctionalInterface
public interface DriftListener {
  /** Called for each event on the searching thread that caused it; keep it short. */
  void onDriftEvent(DriftEvent event);
}
