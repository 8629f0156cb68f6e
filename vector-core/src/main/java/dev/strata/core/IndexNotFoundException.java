package dev.strata.core;

import java.nio.file.Path;

/** There is no Strata index at the given directory. */
public final class IndexNotFoundException extends StrataException {
  /** No index at {@code directory}, saying why. */
  public IndexNotFoundException(Path directory, String why) {
    super("no Strata index at " + directory + ": " + why);
  }
}
