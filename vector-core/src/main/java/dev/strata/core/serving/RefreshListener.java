package dev.strata.core.serving;

/**
 * Told around each refresh or swap of a {@link SearcherHandle}, as Lucene's {@code
 * ReferenceManager.RefreshListener} is: a service warms its caches in {@link #afterRefresh} when
 * the handle moved to a new view.
 */
public interface RefreshListener {
  /** Before the handle looks for a new view. */
  default void beforeRefresh() {}

  /**
   * After it looked, also when it failed.
   *
   * @param swapped whether views acquired from now on see another snapshot or index
   */
  void afterRefresh(boolean swapped);
}
