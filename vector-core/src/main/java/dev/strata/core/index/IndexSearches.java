package dev.strata.core.index;

import dev.strata.core.AdmissionControl;
import dev.strata.core.DeadlineExceededException;
import dev.strata.core.IndexOptions;
import dev.strata.core.SearchObserver;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.StrataException;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.internal.search.SearchDeadline;
import dev.strata.core.snapshot.SnapshotView;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The search path of one index, behind the index's {@code search}: admission within {@link
 * IndexOptions#searchAdmission()} and the request's deadline, which counts from the call and so
 * includes the wait ({@code docs/design/admission.md}); then the search on the latest snapshot,
 * its metrics, and the retrieval drift monitor. Meters {@code strata.search.admission.*} when the
 * index has a registry.
 */
final class IndexSearches implements AutoCloseable {
  private final IndexEngine engine;
  private final java.util.function.Supplier<SnapshotView> latestView;
  private final AdmissionControl admission;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  /** {@code latestView}: a view of the latest snapshot, for the drift monitor's recall samples. */
  IndexSearches(IndexEngine engine, java.util.function.Supplier<SnapshotView> latestView) {
    this.engine = engine;
    this.latestView = latestView;
    Path path = engine.path();
    IndexOptions options = engine.options();
    this.admission = new AdmissionControl("searches of index " + path, options.searchAdmission());
    this.registry = options.meterRegistry();
    if (registry == null) {
      this.meters = List.of();
    } else {
      List<Meter> before = registry.getMeters();
      admission.bindTo(registry, "strata.search.admission", Tags.of("index", String.valueOf(path.getFileName())));
      this.meters = registry.getMeters().stream().filter(m -> !before.contains(m)).toList();
    }
  }

  AdmissionControl admission() {
    return admission;
  }

  /** The deadline of {@code request} called at {@code startNanos}: {@link Long#MAX_VALUE} when it has none. */
  static long deadlineOf(SearchRequest request, long startNanos) {
    Duration timeout = request.timeout();
    return timeout == null ? Long.MAX_VALUE : startNanos + timeout.toNanos();
  }

  /** A search called now. */
  SearchResult search(SearchRequest request) {
    long start = System.nanoTime();
    return search(request, start, deadlineOf(request, start));
  }

  /**
   * The search of a call that started at {@code startNanos} (a text search embeds first), once
   * admitted, unless the deadline passes first; then the result is {@code timedOut} (flagged,
   * empty), or {@link DeadlineExceededException} for all or nothing.
   */
  SearchResult search(SearchRequest request, long startNanos, long deadlineNanos) {
    AdmissionControl.Permit permit;
    try {
      permit = admission.enter(deadlineNanos, request.timeout());
    } catch (DeadlineExceededException e) {
      return timedOut(request, e, startNanos);
    }
    try (permit) {
      if (System.nanoTime() > deadlineNanos) {
        return timedOut(request, new DeadlineExceededException("a search", request.timeout(),
            "its time ran out before it was admitted"), startNanos);
      }
      SearchResult result = admitted(request, deadlineNanos);
      if (result.timedOut()) {
        admission.ranPastDeadline();
      }
      if (result.timedOut() && request.allOrNothing()) {
        throw new DeadlineExceededException("a search", request.timeout(), "its time ran out during the search");
      }
      return result;
    }
  }

  private SearchResult admitted(SearchRequest request, long deadlineNanos) {
    long start = System.nanoTime();
    SearchDeadline deadline = SearchDeadline.at(deadlineNanos);
    SearchResult result = engine.withSearcher(
        "search failed on index " + engine.path(), searcher -> engine.searchRunner().run(searcher, request, deadline));
    engine.metrics().searched(request, result, System.nanoTime() - start);
    SearchObserver monitor = engine.options().monitor();
    return monitor == null ? result : monitor.observe(request, result, () -> pin(result.snapshotId()));
  }

  /**
   * A view of snapshot {@code snapshotId} if the searcher still serves it (for a recall sample
   * measured later on the same records), else {@code null}.
   */
  private SnapshotView pin(long snapshotId) {
    SnapshotView latest;
    try {
      latest = latestView.get();
    } catch (IllegalStateException | StrataException e) {
      return null; // closed or failing meanwhile: the sample is skipped, the search already answered
    }
    if (latest.snapshot().id() == snapshotId) {
      return latest;
    }
    latest.close();
    return null;
  }

  private SearchResult timedOut(SearchRequest request, DeadlineExceededException e, long startNanos) {
    if (request.allOrNothing()) {
      throw e;
    }
    long snapshotId = engine.withSearcher("cannot read index " + engine.path(), searcher -> searcher.snapshot().id());
    return new SearchResult(snapshotId, List.of(), System.nanoTime() - startNanos, false, null, true);
  }

  @Override
  public void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
  }
}
