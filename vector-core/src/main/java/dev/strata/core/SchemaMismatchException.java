package dev.strata.core;

import java.nio.file.Path;
import java.util.List;

/** An index was opened, or written to, with a schema other than the one it was created with. */
public final class SchemaMismatchException extends StrataException {
  private final List<String> differences;

  /** The index at {@code index} has another schema; {@code differences} names each field. */
  public SchemaMismatchException(Path index, List<String> differences) {
    super("schema of index " + index + " does not match: " + String.join("; ", differences));
    this.differences = List.copyOf(differences);
  }

  /** One entry per differing field, {@code "field: expected X, actual Y"}. */
  public List<String> differences() {
    return differences;
  }
}
