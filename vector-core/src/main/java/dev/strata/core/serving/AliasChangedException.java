package dev.strata.core.serving;

import dev.strata.core.StrataException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An alias move refused because the alias is no longer what the mover read: another operator or
 * migration moved it (or removed it) since, or was still moving it. Nothing was moved; read the
 * alias again and decide anew.
 */
public final class AliasChangedException extends StrataException {
  /** {@code current} null when the alias no longer exists. */
  AliasChangedException(Path aliasFile, Path expected, long expectedGeneration, Path current, long currentGeneration) {
    super("alias " + aliasFile + " was not moved: it was expected to name " + expected + " at generation "
        + expectedGeneration + ", but " + (current == null ? "it no longer exists"
            : "it names " + current + " at generation " + currentGeneration)
        + " (another operator or migration moved it since)");
  }

  private AliasChangedException(String message) {
    super(message);
  }

  static AliasChangedException busy(Path aliasFile, Duration waited) {
    return new AliasChangedException("alias " + aliasFile + " was not moved: another process held its lock for "
        + waited.toMillis() + " ms, longer than this move could wait");
  }
}
