package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionReport;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.serving.SearcherHandleMetrics;
import dev.strata.core.snapshot.SnapshotView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters an index publishes, read back from a real registry after real operations. */
class IndexMetricsTest {
  @TempDir Path dir;

  @Test
  void searchesIngestRejectsCommitsCompactionsAndGaugesAreCounted() {
    MeterRegistry registry = new SimpleMeterRegistry();
    IndexOptions options = IndexOptions.builder().meterRegistry(registry).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("books"), IndexSchema.builder(2, Similarity.COSINE).build(), options)) {
      index.upsertAll(List.of(
          new Record("a", new float[] {1, 0}, "alpha", Map.of()),
          new Record("b", new float[] {0, 1}, "beta", Map.of()),
          new Record("c", new float[] {1, 1}, "gamma", Map.of())));
      assertThatThrownBy(() -> index.upsert(Record.of("bad", new float[] {Float.NaN, 0})))
          .isInstanceOf(RecordValidationException.class);
      index.commit("three");
      index.delete("c");
      index.commit("two");
      index.search(SearchRequest.builder(new float[] {1, 0}).k(2).build());
      index.search(SearchRequest.builder(new float[] {1, 0}).k(5).exact(true).build());
      index.search(SearchRequest.forText("beta").build());
      CompactionReport report = new Compactor(index).compact(CompactionPolicy.builder().expungeDeletes(true).build());

      assertThat(registry.get("strata.search.latency").tags("index", "books", "kind", "vector").timer().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.latency").tags("kind", "exact").timer().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.latency").tags("kind", "text").timer().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.hits").summary().totalAmount()).isEqualTo(2 + 2 + 1);
      assertThat(registry.get("strata.ingest.records").counter().count()).isEqualTo(3);
      assertThat(registry.get("strata.ingest.rejects").tags("reason", "non_finite_value").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.commits").counter().count()).isGreaterThanOrEqualTo(2);
      assertThat(registry.get("strata.compaction.runs").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.compaction.bytes.written").counter().count()).isEqualTo((double) report.io().bytesWritten());
      assertThat(registry.get("strata.compaction.bytes.read").counter().count()).isEqualTo((double) report.io().bytesRead());
      assertThat(registry.get("strata.search.path").tags("path", "graph").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.path").tags("path", "exact").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.path").tags("path", "text").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.path").tags("path", "lucene_query").counter().count()).isZero();
      assertThat(registry.get("strata.index.documents").gauge().value()).isEqualTo(2);
      assertThat(registry.get("strata.index.deleted.documents").gauge().value()).isZero();
      assertThat(registry.get("strata.index.graphless.segments").gauge().value()).isZero();
      assertThat(registry.get("strata.index.graph.build.running").gauge().value()).isZero();
      assertThat(registry.get("strata.index.bytes").gauge().value()).isPositive();
      assertThat(registry.get("strata.snapshots.kept").gauge().value()).isGreaterThanOrEqualTo(2);
    }
    assertThat(registry.getMeters()).as("closing the index removes its meters").isEmpty();
  }

  @Test
  void aWriteOfAnotherModelIsCountedAsDrift() {
    MeterRegistry registry = new SimpleMeterRegistry();
    IndexSchema schema = IndexSchema.builder(2, Similarity.COSINE).modelFingerprint("model-a@sha256:" + "a".repeat(64)).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), schema, IndexOptions.builder().meterRegistry(registry).build())) {
      VectorSource other = VectorSource.model(ModelFingerprint.parse("model-b@sha256:" + "b".repeat(64)));
      assertThatThrownBy(() -> index.upsertAll(List.of(Record.of("x", new float[] {1, 0})), other))
          .isInstanceOf(EmbeddingDriftException.class);
      assertThat(registry.get("strata.ingest.rejects").tags("reason", "model_drift").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void aSearcherHandleCountsSwapsAndShowsItsSnapshot() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.COSINE).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one");
      index.upsert(Record.of("b", new float[] {0, 1}));
      index.commit("two");
    }
    SearcherHandle handle = SearcherHandle.open(path, "2", null);
    new SearcherHandleMetrics(handle, "live").bindTo(registry);
    assertThat(registry.get("strata.handle.snapshot").tag("index", "live").gauge().value()).isEqualTo(2);
    handle.swapTo("3");
    handle.swapTo("2");
    assertThat(registry.get("strata.swaps").functionCounter().count()).as("the first view counts").isEqualTo(3);
    assertThat(registry.get("strata.handle.snapshot").gauge().value()).isEqualTo(2);
    assertThat(registry.get("strata.handle.open.readers").gauge().value()).isEqualTo(1);
    try (SnapshotView view = handle.acquire()) {
      view.search(SearchRequest.builder(new float[] {1, 0}).k(1).build());
      view.search(SearchRequest.forText("anything").build());
    }
    assertThat(registry.get("strata.search.latency").tags("index", "live", "kind", "vector").timer().count()).isEqualTo(1);
    assertThat(registry.get("strata.search.latency").tags("index", "live", "kind", "text").timer().count()).isEqualTo(1);
    assertThat(registry.get("strata.search.hits").tag("index", "live").summary().totalAmount()).isEqualTo(1);
    handle.close();
    assertThat(registry.get("strata.handle.snapshot").gauge().value()).as("a closed handle has no value").isNaN();
  }

  @Test
  void closingAnIndexLeavesTheMetersOfAMonitorWithTheSameName() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (dev.strata.core.monitor.RetrievalMonitor monitor = dev.strata.core.monitor.RetrievalMonitor.create(
        dev.strata.core.monitor.MonitorOptions.builder().meterRegistry(registry).name("books").build())) {
      VectorIndex index = VectorIndex.create(dir.resolve("books"), IndexSchema.builder(2, Similarity.COSINE).build(),
          IndexOptions.builder().meterRegistry(registry).monitor(monitor).build());
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one");
      index.search(SearchRequest.builder(new float[] {1, 0}).k(1).build());
      assertThat(registry.find("strata.search.latency").tag("index", "books").timer()).isNotNull();
      index.close();
      assertThat(registry.find("strata.search.latency").timer()).as("the index's meters go with it").isNull();
      assertThat(registry.get("strata.drift.state").tag("index", "books").gauge()).as("the monitor's stay").isNotNull();
    }
    assertThat(registry.getMeters()).as("and go when the monitor closes").isEmpty();
  }
}
