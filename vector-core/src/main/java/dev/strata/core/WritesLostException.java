package dev.strata.core;

/**
 * A commit refused, once, because the writes buffered since the last commit were lost when the
 * index's writer closed on an error (a full disk hit by a merge, a graph build or another writer's
 * flush): none of them is in the index, and committing without them would tell their writers they
 * are durable. Write them again, then commit; a {@code dev.strata.core.live.LiveIndex} does so by
 * itself from the writes it keeps until they are committed.
 */
public final class WritesLostException extends StrataException {
  /** A refusal that says which index, since which snapshot, and on what error the writes were lost. */
  public WritesLostException(String message) {
    super(message);
  }
}
