package dev.strata.core;

import java.nio.file.Path;

/**
 * An index whose latest snapshot cannot be opened because one of its files is damaged (a checksum
 * or footer mismatch, a truncated or missing file). The message names the file. The older kept
 * snapshots may be intact: {@code snapshot.IndexRecovery.verifyAll} tells which, {@code
 * IndexRecovery.rollback} makes one current again (named, not linked: this value must not depend
 * on the snapshot package, which depends on it).
 */
public final class IndexDamagedException extends StrataException {
  private final transient Path index;

  /**
   * The index at {@code index} cannot be read as it is; {@code cause} says what Lucene or the check
   * found.
   */
  public IndexDamagedException(Path index, Throwable cause) {
    super("cannot open index at " + index + ": its latest snapshot is damaged (" + cause.getMessage()
        + "); find the intact snapshots with 'index-admin verify' (IndexRecovery.verifyAll) and roll back to one"
        + " with 'index-admin snapshot rollback --recover' (IndexRecovery.rollback)", cause);
    this.index = index;
  }

  /** The index is readable, but not trustworthy: {@code problem} says why. */
  public IndexDamagedException(Path index, String problem) {
    super("index at " + index + " is damaged: " + problem + "; find the intact snapshots with 'index-admin verify'"
        + " (IndexRecovery.verifyIndex) and roll back to one with 'index-admin snapshot rollback --recover'"
        + " (IndexRecovery.rollback)");
    this.index = index;
  }

  /** The damaged index's directory. */
  public Path index() {
    return index;
  }
}
