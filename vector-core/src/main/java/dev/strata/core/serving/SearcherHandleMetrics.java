package dev.strata.core.serving;

import dev.strata.core.internal.io.OwnedMeters;
import dev.strata.core.internal.search.SearchMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * A {@link SearcherHandle}'s meters, tagged {@code index} with a name the service chooses (the
 * alias, usually): the searches of views acquired after binding ({@code strata.search.latency} by
 * kind, {@code strata.search.hits}, as for an index), swaps ({@code strata.swaps}, the first view included), failed refreshes ({@code strata.refresh.failures}),
 * readers held open ({@code strata.handle.open.readers}: old snapshots still in use after swaps) and
 * the snapshot new views see ({@code strata.handle.snapshot}). Bind it once:
 * {@code new SearcherHandleMetrics(handle, "products").bindTo(registry)}. A closed handle reads as
 * NaN.
 */
public final class SearcherHandleMetrics implements MeterBinder {
  private final SearcherHandle handle;
  private final Tags tags;

  /** Meters of {@code handle}, tagged {@code index=name}, registered by {@link #bindTo}. */
  public SearcherHandleMetrics(SearcherHandle handle, String name) {
    this.handle = java.util.Objects.requireNonNull(handle, "handle");
    this.tags = Tags.of("index", java.util.Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    handle.meters(new SearchMeters(new OwnedMeters(registry), tags)); // bound for the registry's life, as binders are
    FunctionCounter.builder("strata.swaps", handle, h -> safely(h, SearcherHandle::swapCount))
        .description("snapshot or index swaps of a searcher handle").tags(tags).register(registry);
    FunctionCounter.builder("strata.refresh.failures", handle, h -> safely(h, SearcherHandle::refreshFailures))
        .description("refreshes that failed and left the handle on its snapshot").tags(tags).register(registry);
    Gauge.builder("strata.handle.open.readers", handle, h -> safely(h, SearcherHandle::openReaders))
        .description("snapshots the handle keeps open, old ones still in use included").tags(tags).register(registry);
    Gauge.builder("strata.handle.snapshot", handle, h -> safely(h, x -> x.current().id()))
        .description("the snapshot new views of the handle see").tags(tags).register(registry);
  }

  private static double safely(SearcherHandle handle, ToDoubleFunction<SearcherHandle> value) {
    try {
      return value.applyAsDouble(handle);
    } catch (RuntimeException e) {
      return Double.NaN; // closed: registries show "no value"
    }
  }
}
