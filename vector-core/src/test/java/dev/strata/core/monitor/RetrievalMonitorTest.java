package dev.strata.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift monitor and its breaker over a real index: a normal stream must not trip it, a stream
 * from another model or of random vectors must, within the recent window, and the breaker must
 * close again when the queries come back. Fixed seeds: the false-positive count is a statement
 * about this data.
 */
class RetrievalMonitorTest {
  private static final int BASELINE = 500;
  private static final int RECENT = 50;
  private static MonitoredCorpus data;

  @TempDir Path dir;

  @BeforeAll
  static void generate() {
    data = new MonitoredCorpus(7, 5_000, 10_000);
  }

  private static MonitorOptions.Builder options() {
    return MonitorOptions.builder().baselineWindow(BASELINE).recentWindow(RECENT).name("test");
  }

  @Test
  void tenThousandNormalQueriesRaiseNoDriftEvent() {
    List<DriftEvent> events = new ArrayList<>();
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options().breaker(BreakerMode.FAIL_FAST).build());
        VectorIndex index = data.create(dir.resolve("idx"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(monitor).build())) {
      monitor.addListener(events::add);
      for (float[] query : data.normalQueries) {
        index.search(MonitoredCorpus.request(query)); // would throw if the breaker opened
      }
      DriftStatus status = monitor.status();
      System.out.printf("normal stream: %d queries, %d drift events, largest distance %.2f sigma%n",
          data.normalQueries.length, events.size(), status.statistics().stream().mapToDouble(DriftStatus.Statistic::sigmas).max().orElseThrow());
      assertThat(events).as("drift events on 10k normal queries (false positives)").isEmpty();
      assertThat(status.state()).isEqualTo(DriftStatus.State.NORMAL);
      assertThat(status.observations()).isEqualTo(data.normalQueries.length);
      assertThat(status.baselineObservations()).isEqualTo(BASELINE);
    }
  }

  @Test
  void queriesFromAnotherModelTripTheBreakerWithinTheRecentWindowAndItClosesWhenTheyComeBack() {
    List<DriftEvent> events = new ArrayList<>();
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options().breaker(BreakerMode.FAIL_FAST).build());
        VectorIndex index = data.create(dir.resolve("idx"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(monitor).build())) {
      monitor.addListener(events::add);
      runNormal(index, 0, BASELINE + RECENT);
      int tripped = queriesUntilRefused(index, data::otherModelQuery);
      System.out.printf("another model: breaker open after %d queries (%s)%n", tripped, events.get(0));
      assertThat(tripped).as("queries from another model before the breaker opened").isBetween(1, RECENT);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.kind()).isEqualTo(DriftEvent.Kind.DRIFTED);
        assertThat(e.sigmas()).isGreaterThan(2);
      });
      assertThat(monitor.drifted()).isTrue();

      // The queries themselves recover (the embedder was fixed): the breaker closes by itself.
      int recovered = 0;
      for (int i = 0; monitor.drifted() && i < 2 * RECENT; i++) {
        try {
          index.search(MonitoredCorpus.request(data.normalQueries[1_000 + i]));
        } catch (RetrievalDriftException e) {
          recovered = i + 1;
        }
      }
      assertThat(monitor.drifted()).isFalse();
      assertThat(recovered).as("normal queries refused before the breaker closed").isLessThanOrEqualTo(RECENT);
      assertThat(events).extracting(DriftEvent::kind).containsExactly(DriftEvent.Kind.DRIFTED, DriftEvent.Kind.RECOVERED);
      assertThat(index.search(MonitoredCorpus.request(data.normalQueries[2_000])).hits()).hasSize(10);
    }
  }

  @Test
  void randomVectorsAreFlaggedDegradedAndAnOperatorResetClosesTheBreaker() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Random random = new Random(11);
    try (RetrievalMonitor monitor = RetrievalMonitor.create(
            options().breaker(BreakerMode.FLAG_DEGRADED).meterRegistry(registry).build());
        VectorIndex index = data.create(dir.resolve("idx"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(monitor).build())) {
      runNormal(index, 0, BASELINE + RECENT);
      int degradedAt = -1;
      for (int i = 0; i < 2 * RECENT && degradedAt < 0; i++) {
        SearchResult result = index.search(MonitoredCorpus.request(MonitoredCorpus.randomUnitVector(random)));
        assertThat(result.hits()).as("flagged results still carry their hits").hasSize(10);
        if (result.degraded()) {
          degradedAt = i + 1;
        }
      }
      assertThat(degradedAt).as("random queries before results were flagged degraded").isBetween(1, RECENT);
      assertThat(registry.get("strata.drift.state").tag("index", "test").gauge().value()).isEqualTo(1);
      assertThat(registry.get("strata.drift.events").tag("kind", "drifted").counter().count()).isEqualTo(1);
      assertThat(registry.get("strata.breaker.degraded").counter().count()).isEqualTo(1);

      monitor.reset();
      assertThat(monitor.drifted()).isFalse();
      assertThat(index.search(MonitoredCorpus.request(data.normalQueries[3_000])).degraded()).isFalse();
      assertThat(registry.get("strata.drift.events").tag("kind", "reset").counter().count()).isEqualTo(1);
      assertThat(monitor.status().state()).as("recent window refills after a reset").isEqualTo(DriftStatus.State.LEARNING);
    }
    assertThat(registry.find("strata.drift.state").gauge()).as("meters removed on close").isNull();
  }

  @Test
  void theBreakerFollowsASearcherHandleAndAppliesToItsViews() {
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options().breaker(BreakerMode.FAIL_FAST).build())) {
      Path path = dir.resolve("idx");
      data.create(path, VectorEncoding.FLOAT32, IndexOptions.DEFAULTS).close();
      try (SearcherHandle handle = SearcherHandle.open(path).monitor(monitor)) {
        for (int i = 0; i < BASELINE + RECENT; i++) {
          try (SnapshotView view = handle.acquire()) {
            view.search(MonitoredCorpus.request(data.normalQueries[i]));
          }
        }
        assertThat(monitor.status().state()).isEqualTo(DriftStatus.State.NORMAL);
        Random random = new Random(3);
        assertThatThrownBy(() -> {
          for (int i = 0; i < RECENT; i++) {
            try (SnapshotView view = handle.acquire()) {
              view.search(MonitoredCorpus.request(MonitoredCorpus.randomUnitVector(random)));
            }
          }
        }).isInstanceOf(RetrievalDriftException.class)
            .hasMessageContaining("retrieval drift on test")
            .hasMessageContaining("sigma");
        assertThat(handle.openReaders()).as("a refused search still released its view").isEqualTo(1);
      }
    }
  }

  /**
   * A slow drift (queries blended a little more with noise at each step) is what a frozen baseline
   * exists to catch and a sliding one to follow; a sudden change trips both.
   */
  @Test
  void aFrozenBaselineCatchesASlowDriftThatASlidingOneFollows() {
    Random random = new Random(23);
    int steps = 6_000;
    List<float[]> slow = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      float[] q = data.normalQueries[i % data.normalQueries.length];
      float[] noise = MonitoredCorpus.randomUnitVector(random);
      float share = 0.6f * i / steps;
      float[] v = new float[q.length];
      for (int d = 0; d < v.length; d++) {
        v[d] = (1 - share) * q[d] + share * noise[d];
      }
      slow.add(v);
    }
    try (RetrievalMonitor frozen = RetrievalMonitor.create(options().baselineMode(BaselineMode.FROZEN).build());
        RetrievalMonitor sliding = RetrievalMonitor.create(options().baselineMode(BaselineMode.SLIDING).build());
        VectorIndex a = data.create(dir.resolve("a"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(frozen).build());
        VectorIndex b = data.create(dir.resolve("b"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(sliding).build())) {
      for (float[] v : slow) {
        a.search(MonitoredCorpus.request(v));
        b.search(MonitoredCorpus.request(v));
      }
      System.out.printf("slow drift: frozen %s, sliding %s%n", frozen.status().state(), sliding.status().state());
      assertThat(frozen.drifted()).as("frozen baseline after a slow drift").isTrue();
      assertThat(sliding.drifted()).as("sliding baseline follows a slow drift").isFalse();
      for (int i = 0; i < RECENT; i++) {
        b.search(MonitoredCorpus.request(MonitoredCorpus.randomUnitVector(random)));
      }
      assertThat(sliding.drifted()).as("sliding baseline after a sudden change").isTrue();
    }
  }

  @Test
  void aSampledMonitorObservesThatShareOfSearchesAndTextSearchesAreNotObserved() {
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options().sampleRate(0.1).build());
        VectorIndex index = data.create(dir.resolve("idx"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(monitor).build())) {
      runNormal(index, 0, 1_000);
      assertThat(monitor.status().observations()).isEqualTo(100);
    }
  }

  @Test
  void optionsNameTheBadField() {
    assertThatThrownBy(() -> options().thresholdSigmas(0).build()).hasMessage("thresholdSigmas must be a finite number > 0, got 0.0");
    assertThatThrownBy(() -> options().sampleRate(0).build()).hasMessage("sampleRate must be in (0, 1], got 0.0");
    assertThatThrownBy(() -> options().recallSampleRate(1.5).build()).hasMessage("recallSampleRate must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> options().baselineWindow(1).build()).hasMessage("baselineWindow must be >= 2, got 1");
    assertThatThrownBy(() -> options().name(" ").build()).hasMessage("name must not be blank, got ' '");
  }

  private static void runNormal(VectorIndex index, int from, int count) {
    for (int i = from; i < from + count; i++) {
      index.search(MonitoredCorpus.request(data.normalQueries[i]));
    }
  }

  /** Runs queries until the breaker refuses one; returns how many were sent, or -1. */
  private static int queriesUntilRefused(VectorIndex index, IntFunction<float[]> queries) {
    for (int i = 0; i < 2 * RECENT; i++) {
      try {
        index.search(SearchRequest.builder(queries.apply(i)).k(10).build());
      } catch (RetrievalDriftException e) {
        return i + 1;
      }
    }
    return -1;
  }
}
