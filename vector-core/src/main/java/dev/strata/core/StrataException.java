package dev.strata.core;

/** Base of every error Strata raises on purpose; its message says what is wrong and where. */
public class StrataException extends RuntimeException {
  /** A failure with its message. */
  public StrataException(String message) {
    super(message);
  }

  /** A failure with its message and cause. */
  public StrataException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure that is an answer, not a fault (a refusal under load): no stack trace, so that
   * refusing thousands of calls a second costs the caller microseconds.
   */
  protected StrataException(String message, boolean withStackTrace) {
    super(message, null, false, withStackTrace);
  }
}
