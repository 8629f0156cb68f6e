package dev.strata.core;

/**
 * One snapshot held open for a recall sample: the monitor searches it exactly later, on the same
 * records the approximate search saw, then releases it. A {@code SnapshotView} is one.
 */
public interface PinnedSnapshot extends AutoCloseable {
  /** Runs {@code request} against the pinned snapshot. */
  SearchResult search(SearchRequest request);

  /** Gives the snapshot back; idempotent. */
  @Override
  void close();
}
