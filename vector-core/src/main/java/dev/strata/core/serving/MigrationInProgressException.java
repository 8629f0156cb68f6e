package dev.strata.core.serving;

import dev.strata.core.StrataException;

/** A live migration refused at once because another one of the same alias is running. */
public final class MigrationInProgressException extends StrataException {
  MigrationInProgressException(String message) {
    super(message);
  }
}
