package dev.strata.core.internal.io;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters one owner (an index, a monitor) registered, so that closing it removes exactly
 * those: another owner's meters under the same tags (an index and its monitor share the name) stay.
 * Registering a meter that exists returns the existing one, so owning it twice is harmless.
 * Thread-safe.
 */
public final class OwnedMeters {
  private final MeterRegistry registry;
  private final Set<Meter> meters = ConcurrentHashMap.newKeySet();

  public OwnedMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Records {@code meter}, just registered in {@link #registry()}, as this owner's; returns it. */
  public <T extends Meter> T own(T meter) {
    meters.add(meter);
    return meter;
  }

  /** Removes every meter this owner registered from the registry. */
  public void removeAll() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
