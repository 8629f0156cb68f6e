package dev.strata.core;

import java.nio.file.Path;

/**
 * A live migration that did not move its alias because its write fence no longer protected it: a
 * writer broke the fence (it judged the migration gone, or its lease lapsed), or the migration's
 * own lease ran out before the switch. Writes may have been committed to the source since, so
 * switching would strand them; the alias stays where it was. Run the migration again.
 */
public final class FenceLostException extends StrataException {
  /** The migration of {@code index} aborted, and {@code why}. */
  public FenceLostException(Path index, String why) {
    super("live migration of index " + index + " aborted: " + why);
  }
}
