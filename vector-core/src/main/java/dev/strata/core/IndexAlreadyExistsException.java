package dev.strata.core;

import java.nio.file.Path;

/** {@link dev.strata.core.index.VectorIndex#create} refuses to overwrite an existing index or a non-empty directory. */
public final class IndexAlreadyExistsException extends StrataException {
  /** Refuses to create an index in {@code directory}, saying why. */
  public IndexAlreadyExistsException(Path directory, String why) {
    super("cannot create an index at " + directory + ": " + why);
  }
}
