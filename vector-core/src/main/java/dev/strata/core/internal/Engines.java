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
  private static volatile Function<IndexEngine, Object> facades;

  private Engines() {}

  /** Called once, by the facade's static initializer. */
  public static void register(Function<Object, IndexEngine> facadeToEngine, Function<IndexEngine, Object> engineToFacade) {
    lookup = Objects.requireNonNull(facadeToEngine);
    facades = Objects.requireNonNull(engineToFacade);
  }

  /**
   * A {@code VectorIndex} over {@code engine}: for an engine on a directory Strata did not open
   * itself (the crash tests' fault-injecting one).
   */
  public static Object facade(IndexEngine engine) {
    try {
      Class.forName("dev.strata.core.index.VectorIndex", true, Engines.class.getClassLoader()); // registers
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return facades.apply(Objects.requireNonNull(engine, "engine"));
  }

  /** The engine of {@code index}, a {@code VectorIndex}. */
  public static IndexEngine of(Object index) {
    return lookup.apply(Objects.requireNonNull(index, "index"));
  }
}
