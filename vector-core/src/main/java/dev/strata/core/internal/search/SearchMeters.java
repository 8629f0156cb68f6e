package dev.strata.core.internal.search;

import dev.strata.core.SearchPath;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.internal.io.OwnedMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Search latency by kind ({@code strata.search.latency}, percentiles 0.5/0.95/0.99, tag {@code
 * kind}: vector, exact, text, hybrid), hits per search ({@code strata.search.hits}) and searches
 * by the way they went ({@code strata.search.path}, tag {@code path}: see {@link SearchPath}), for
 * an index or a searcher handle. One timer per kind, registered up front, so a search records
 * without a lookup. Thread-safe, as Micrometer's meters are.
 */
public final class SearchMeters {
  private enum Kind { VECTOR, EXACT, TEXT, HYBRID }

  private final Map<Kind, Timer> latency = new EnumMap<>(Kind.class);
  private final DistributionSummary hits;
  private final Map<SearchPath, Counter> paths = new EnumMap<>(SearchPath.class);

  public SearchMeters(OwnedMeters owner, Tags tags) {
    MeterRegistry registry = owner.registry();
    for (Kind kind : Kind.values()) {
      latency.put(kind, owner.own(Timer.builder("strata.search.latency").description("search latency").tags(tags)
          .tag("kind", kind.name().toLowerCase(Locale.ROOT)).publishPercentiles(0.5, 0.95, 0.99).register(registry)));
    }
    hits = owner.own(DistributionSummary.builder("strata.search.hits").description("hits returned per search")
        .tags(tags).register(registry));
    for (SearchPath path : SearchPath.values()) {
      paths.put(path, owner.own(Counter.builder("strata.search.path").description("searches by the way they went")
          .tags(tags).tag("path", path.externalName()).register(registry)));
    }
  }

  public void searched(SearchRequest request, SearchResult result, long nanos) {
    int hitCount = result.hits().size();
    if (result.path() != null) {
      paths.get(result.path()).increment();
    }
    Kind kind = !request.hasVector() ? Kind.TEXT : request.isHybrid() ? Kind.HYBRID : request.exact() ? Kind.EXACT : Kind.VECTOR;
    latency.get(kind).record(nanos, TimeUnit.NANOSECONDS);
    hits.record(hitCount);
  }
}
