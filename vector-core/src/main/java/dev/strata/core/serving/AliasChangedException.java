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
  AliasChangedException(Path aliasFile, IndexAlias expected, IndexAlias current) {
    super("alias " + aliasFile + " was not moved: it was expected to name " + expected.index() + " at generation "
        + expected.generation() + ", but " + (current == null ? "it no longer exists"
            : "it names " + current.index() + " at generation " + current.generation())
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
