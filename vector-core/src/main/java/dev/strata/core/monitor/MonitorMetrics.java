package dev.strata.core.monitor;

import dev.strata.core.internal.io.OwnedMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A monitor's meters, tagged {@code index} with {@link MonitorOptions#name()}: drift state (1 while
 * drifted) and each statistic's distance from its baseline in sigmas, drift events by kind and
 * statistic, searches the breaker refused or flagged, and the recall estimate with its sample
 * count. Without a registry every method returns at once.
 */
final class MonitorMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final OwnedMeters owned; // null without a registry
  private final Tags tags;
  private final Counter refused;
  private final Counter degraded;

  /** Gauges read {@code drifted}, {@code status} and {@code recall} on each scrape. */
  MonitorMetrics(MonitorOptions options, BooleanSupplier drifted, Supplier<DriftStatus> status,
      Supplier<RecallEstimate> recall) {
    this.registry = options.meterRegistry();
    this.owned = registry == null ? null : new OwnedMeters(registry);
    this.tags = Tags.of("index", options.name());
    if (registry == null) {
      refused = degraded = null;
      return;
    }
    owned.own(Gauge.builder("strata.drift.state", () -> drifted.getAsBoolean() ? 1 : 0)
        .description("1 while the retrieval drift monitor is in the drifted state").tags(tags).register(registry));
    for (RetrievalStatistic statistic : RetrievalStatistic.ALL) {
      owned.own(Gauge.builder("strata.drift.sigmas", () -> status.get().statistic(statistic).sigmas())
          .description("recent mean's distance from the baseline mean, in baseline standard deviations")
          .tags(tags).tag("statistic", statistic.tagValue()).register(registry));
    }
    owned.own(Gauge.builder("strata.search.recall.estimate", () -> recall.get().recall())
        .description("recall@k of approximate searches, from sampled exact re-runs").tags(tags).register(registry));
    owned.own(Gauge.builder("strata.search.recall.samples", () -> recall.get().samples())
        .description("searches behind the recall estimate").tags(tags).register(registry));
    refused = owned.own(Counter.builder("strata.breaker.refused").description("searches refused while drifted")
        .tags(tags).register(registry));
    degraded = owned.own(Counter.builder("strata.breaker.degraded").description("searches flagged degraded while drifted")
        .tags(tags).register(registry));
  }

  void event(DriftEvent event) {
    if (registry != null) {
      owned.own(Counter.builder("strata.drift.events").description("drift monitor state changes").tags(tags)
          .tag("kind", event.kind().name().toLowerCase(java.util.Locale.ROOT))
          .tag("statistic", event.statistic() == null ? "none" : event.statistic().tagValue())
          .register(registry)).increment();
    }
  }

  void refused() {
    if (registry != null) {
      refused.increment();
    }
  }

  void degraded() {
    if (registry != null) {
      degraded.increment();
    }
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.removeAll();
    }
  }
}
