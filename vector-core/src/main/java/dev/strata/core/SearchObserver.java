package dev.strata.core;

import java.util.function.Supplier;

/**
 * Watches an index's searches as they finish ({@link IndexOptions.Builder#monitor}): Strata's
 * {@code dev.strata.core.monitor.RetrievalMonitor} is one (drift statistics, a circuit breaker,
 * sampled recall). An interface here, among the values, so that the options that carry it do not
 * depend on the monitor's package.
 */
public interface SearchObserver {
  /**
   * Observes one finished search: returns {@code result} (or a copy flagged degraded), or throws
   * to refuse it (a breaker that is open).
   *
   * @param pinSnapshot a new view of the snapshot that answered (the observer closes it), or
   *     {@code null} if it can no longer be had; asked only when the observer wants a recall sample
   */
  SearchResult observe(SearchRequest request, SearchResult result, Supplier<? extends PinnedSnapshot> pinSnapshot);
}
