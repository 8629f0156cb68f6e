package dev.strata.core;

import java.nio.file.Path;

/** Another writer (in this process or another) holds the index's write lock. */
public final class IndexLockedException extends StrataException {
  /** Another writer holds {@code directory}'s write lock. */
  public IndexLockedException(Path directory, Throwable cause) {
    super(
        "index " + directory + " is already open for writing (its write.lock is held); open it"
            + " read-only to search while another process writes",
        cause);
  }

  /** Locked by something other than a writer, as {@code reason} says (an import running into it). */
  public IndexLockedException(Path directory, String reason) {
    super("index " + directory + " is locked: " + reason);
  }
}
