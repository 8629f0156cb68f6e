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
}
