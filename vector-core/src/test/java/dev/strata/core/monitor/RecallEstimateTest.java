package dev.strata.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The live recall estimate, from a quarter of the searches re-run exactly in the background, must
 * land within 0.03 of the recall measured offline over every query, on settings that lose recall.
 */
class RecallEstimateTest {
  private static final int QUERIES = 1_000;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"BINARY, 100", "FLOAT32, 10"})
  void estimateMatchesOfflineRecallWithinThreeHundredths(VectorEncoding encoding, int ef) {
    MonitoredCorpus data = new MonitoredCorpus(5, 20_000, QUERIES);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorOptions options = MonitorOptions.builder().recallSampleRate(0.25).recallQueueCapacity(QUERIES)
        .meterRegistry(registry).name("recall").build();
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options);
        VectorIndex index = data.create(dir.resolve("idx"), encoding, IndexOptions.builder().monitor(monitor).build())) {
      double offline = 0;
      for (float[] query : data.normalQueries) {
        SearchResult approximate = index.search(SearchRequest.builder(query).k(10).ef(ef).build());
        SearchResult exact = index.search(SearchRequest.builder(query).k(10).exact(true).build());
        offline += overlap(approximate, exact) / (double) exact.hits().size();
      }
      offline /= QUERIES;
      await().atMost(Duration.ofSeconds(60)).until(() -> monitor.recallEstimate().pending() == 0);
      RecallEstimate estimate = monitor.recallEstimate();
      System.out.printf("%s ef %d: offline recall@10 %.4f, live estimate %.4f over %d samples%n",
          encoding, ef, offline, estimate.recall(), estimate.samples());
      assertThat(offline).as("the setting must lose recall for the test to mean something").isLessThan(0.97);
      assertThat(estimate.samples()).isEqualTo(QUERIES / 4);
      assertThat(estimate.dropped()).isZero();
      assertThat(estimate.failed()).isZero();
      assertThat(estimate.recall()).isCloseTo(offline, org.assertj.core.data.Offset.offset(0.03));
      assertThat(registry.get("strata.search.recall.estimate").tag("index", "recall").gauge().value())
          .isEqualTo(estimate.recall());
      assertThat(registry.get("strata.search.recall.samples").gauge().value()).isEqualTo(QUERIES / 4);
    }
  }

  private static long overlap(SearchResult approximate, SearchResult exact) {
    Set<String> ids = new HashSet<>();
    for (Hit hit : approximate.hits()) {
      ids.add(hit.id());
    }
    return exact.hits().stream().filter(h -> ids.contains(h.id())).count();
  }
}
