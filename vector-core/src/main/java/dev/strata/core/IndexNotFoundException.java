package dev.strata.core;

import java.nio.file.Path;

/** There is no Strata index at the given directory. */
public final class IndexNotFoundException extends StrataException {
  public IndexNotFoundException(Path directory, String why) {
    super("no Strata index at " + directory + ": " + why);
  }
}
