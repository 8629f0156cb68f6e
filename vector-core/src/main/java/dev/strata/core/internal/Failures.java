package dev.strata.core.internal;

import dev.strata.core.StrataException;
import java.io.IOException;

/** One wording for an I/O failure: what Strata was doing, then the cause. */
public final class Failures {
  private Failures() {}

  public static StrataException of(String what, IOException cause) {
    return new StrataException(what + ": " + cause, cause);
  }
}
