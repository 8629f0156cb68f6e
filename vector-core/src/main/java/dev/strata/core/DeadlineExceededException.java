package dev.strata.core;

import java.time.Duration;

/**
 * A call whose deadline passed before it could answer: while it waited for admission, or at a
 * checkpoint of its work. A search that did not ask for all or nothing gets a result flagged
 * {@link SearchResult#timedOut()} instead.
 */
public final class DeadlineExceededException extends StrataException {
  /** {@code what} did not finish within {@code timeout}; {@code where} says at which step. */
  public DeadlineExceededException(String what, Duration timeout, String where) {
    super(what + " did not finish within its timeout of " + timeout.toMillis() + " ms (" + where + ")");
  }
}
