package dev.strata.core.internal.engine;

import dev.strata.core.IndexStats;
import dev.strata.core.SearchRequest;
import dev.strata.core.internal.io.OwnedMeters;
import dev.strata.core.internal.search.SearchMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One index's meters in a Micrometer registry, all tagged {@code index} with the directory's name:
 * searches (latency timer with percentiles, tagged {@code kind}: vector, exact, text, hybrid), hits
 * per search, records ingested, rejects by reason (the validation rule, or {@code model_drift}),
 * commits, compactions with the bytes they read and wrote, and gauges read from the index on each
 * scrape (documents, deleted documents, segments, bytes on disk, snapshots kept).
 *
 * <p>Without a registry every method returns at once: no meters, no allocation. Thread-safe, as
 * Micrometer's meters are. {@link #close()} removes the meters this index registered from the registry (not, say, those of
 * a monitor tagged with the same name).
 */
public final class IndexMetrics implements AutoCloseable {
  static final IndexMetrics NONE = new IndexMetrics(null, Tags.empty());

  private final MeterRegistry registry;
  private final OwnedMeters owned; // null without a registry
  private final Tags tags;
  private final SearchMeters searches;
  private final Counter ingested;
  private final Counter commits;
  private final Counter compactions;
  private final Counter compactionRead;
  private final Counter compactionWritten;

  private IndexMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.owned = registry == null ? null : new OwnedMeters(registry);
    this.tags = tags;
    if (registry == null) {
      searches = null;
      ingested = commits = compactions = compactionRead = compactionWritten = null;
      return;
    }
    searches = new SearchMeters(owned, tags);
    ingested = owned.own(Counter.builder("strata.ingest.records").description("records upserted (buffered)")
        .tags(tags).register(registry));
    commits = owned.own(Counter.builder("strata.commits").description("commits, each a snapshot").tags(tags).register(registry));
    compactions = owned.own(Counter.builder("strata.compaction.runs").tags(tags).register(registry));
    compactionRead = owned.own(Counter.builder("strata.compaction.bytes.read").baseUnit("bytes").tags(tags).register(registry));
    compactionWritten = owned.own(Counter.builder("strata.compaction.bytes.written").baseUnit("bytes").tags(tags).register(registry));
  }

  /**
   * Meters for the index at {@code path} in {@code registry}, or {@link #NONE} when the registry is
   * null; gauges read {@code stats} and {@code snapshotsKept} on each scrape.
   */
  static IndexMetrics of(MeterRegistry registry, Path path, Supplier<IndexStats> stats, IntSupplier snapshotsKept) {
    if (registry == null) {
      return NONE;
    }
    IndexMetrics metrics = new IndexMetrics(registry, Tags.of("index", String.valueOf(path.getFileName())));
    metrics.gauge("strata.index.documents", () -> stats.get().docs());
    metrics.gauge("strata.index.deleted.documents", () -> stats.get().deletedDocs());
    metrics.gauge("strata.index.segments", () -> stats.get().segments());
    metrics.gauge("strata.index.graphless.segments", () -> stats.get().graphlessSegments());
    metrics.gauge("strata.index.graph.build.running", () -> stats.get().graphBuildRunning() ? 1 : 0);
    metrics.gauge("strata.index.bytes", () -> stats.get().bytes());
    metrics.gauge("strata.snapshots.kept", snapshotsKept::getAsInt);
    return metrics;
  }

  private void gauge(String name, DoubleSupplier value) {
    // A closed (or failing) index reads as NaN, which registries report as "no value".
    owned.own(Gauge.builder(name, () -> {
      try {
        return value.getAsDouble();
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }).tags(tags).register(registry));
  }

  public void searched(SearchRequest request, dev.strata.core.SearchResult result, long nanos) {
    if (registry == null) {
      return;
    }
    searches.searched(request, result, nanos);
  }

  void ingested(int records) {
    if (registry != null) {
      ingested.increment(records);
    }
  }

  void rejected(String reason) {
    if (registry != null) {
      owned.own(Counter.builder("strata.ingest.rejects").description("writes refused, by reason").tags(tags)
          .tag("reason", reason.toLowerCase(Locale.ROOT)).register(registry)).increment();
    }
  }

  void committed() {
    if (registry != null) {
      commits.increment();
    }
  }

  /** A served file failed its checksum (on refresh or in the scrub): the index is out of service. */
  void integrityFailed() {
    if (registry != null) {
      owned.own(Counter.builder("strata.integrity.failures").description("served files that failed their checksum")
          .tags(tags).register(registry)).increment();
    }
  }

  /** Bytes the background scrub re-read and found sound. */
  void scrubbed(long bytes) {
    if (registry != null) {
      owned.own(Counter.builder("strata.scrub.bytes").baseUnit("bytes").description("bytes the background scrub verified")
          .tags(tags).register(registry)).increment(bytes);
    }
  }

  public void compacted(long bytesRead, long bytesWritten) {
    if (registry != null) {
      compactions.increment();
      compactionRead.increment(bytesRead);
      compactionWritten.increment(bytesWritten);
    }
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.removeAll();
    }
  }
}
