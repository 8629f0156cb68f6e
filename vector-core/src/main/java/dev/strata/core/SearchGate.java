package dev.strata.core;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The door every search of one index goes through ({@code docs/design/admission.md}): admission
 * within {@link IndexOptions#searchAdmission()}, and the request's deadline, which counts from
 * the call and so includes the wait. Meters {@code strata.search.admission.*} when the index has a
 * registry.
 */
final class SearchGate implements AutoCloseable {
  private final AdmissionControl admission;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  SearchGate(Path path, IndexOptions options) {
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

  /**
   * Runs {@code search} once admitted, unless the deadline passes first; then the result is
   * {@code timedOut} (flagged, empty), or {@link DeadlineExceededException} for all or nothing.
   */
  SearchResult run(SearchRequest request, long startNanos, long deadlineNanos, Supplier<SearchResult> search,
      java.util.function.LongSupplier snapshotId) {
    AdmissionControl.Permit permit;
    try {
      permit = admission.enter(deadlineNanos, request.timeout());
    } catch (DeadlineExceededException e) {
      return timedOut(request, e, startNanos, snapshotId);
    }
    try (permit) {
      if (System.nanoTime() > deadlineNanos) {
        return timedOut(request, new DeadlineExceededException("a search", request.timeout(),
            "its time ran out before it was admitted"), startNanos, snapshotId);
      }
      return search.get();
    }
  }

  private static SearchResult timedOut(SearchRequest request, DeadlineExceededException e, long startNanos,
      java.util.function.LongSupplier snapshotId) {
    if (request.allOrNothing()) {
      throw e;
    }
    return new SearchResult(snapshotId.getAsLong(), List.of(), System.nanoTime() - startNanos, false, null, true);
  }

  @Override
  public void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
  }
}
