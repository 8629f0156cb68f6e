package dev.strata.core.internal.io;

import dev.strata.core.StrataException;
import java.io.IOException;

/** One wording for an I/O failure: what Strata was doing, then the cause. */
public final class Failures {
  private Failures() {}

  public static StrataException of(String what, IOException cause) {
    return new StrataException(what + ": " + cause, cause);
  }

  /** The innermost cause's message ("No space left on device"), not a chain of wrappers. */
  public static String rootMessage(Throwable failure) {
    if (failure == null) {
      return "an unknown error";
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
