package dev.strata.core.internal;

import java.util.Objects;
import java.util.function.Function;

/**
 * Hands the engine behind a {@code VectorIndex} to Strata's own packages (compaction, rebuilds),
 * which need the writer's merges and counters, without a public accessor on the facade: the
 * facade registers its lookup when its class loads (the JDK's "shared secrets" pattern).
 */
public final class Engines {
  private static volatile Function<Object, IndexEngine> lookup;

  private Engines() {}

  /** Called once, by the facade's static initializer. */
  public static void register(Function<Object, IndexEngine> facadeToEngine) {
    lookup = Objects.requireNonNull(facadeToEngine);
  }

  /** The engine of {@code index}, a {@code VectorIndex}. */
  public static IndexEngine of(Object index) {
    return lookup.apply(Objects.requireNonNull(index, "index"));
  }
}
