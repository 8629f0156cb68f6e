package dev.strata.core.index;

import dev.strata.core.internal.engine.IndexEngine;
import java.util.Objects;

/**
 * The engine behind a {@link VectorIndex}, for Strata's own rooms that work on the writer itself
 * (a compaction's merges, a rebuild's bit-for-bit copies), and a facade over an engine opened on a
 * directory Strata did not open itself (the crash tests' fault-injecting one). Typed both ways and
 * fixed at compile time: nothing registers a lookup, nothing is found by name. Not an API: the
 * engine's type lives in {@code dev.strata.core.internal}, which no other module may name.
 */
public final class IndexEngines {
  private IndexEngines() {}

  /** The engine of {@code index}. */
  public static IndexEngine of(VectorIndex index) {
    return Objects.requireNonNull(index, "index").engine();
  }

  /** A facade over {@code engine}, which it then owns (closing the facade closes the engine). */
  public static VectorIndex over(IndexEngine engine) {
    return new VectorIndex(Objects.requireNonNull(engine, "engine"));
  }
}
