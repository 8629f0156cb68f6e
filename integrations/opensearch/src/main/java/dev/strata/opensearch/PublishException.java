package dev.strata.opensearch;

import dev.strata.core.StrataException;

/**
 * A publish, or a check of a published index, did not complete. The message says at which step,
 * what the cluster answered, and where the alias points now: a failed publish never moves it.
 */
public class PublishException extends StrataException {
  public PublishException(String message) {
    super(message);
  }

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
