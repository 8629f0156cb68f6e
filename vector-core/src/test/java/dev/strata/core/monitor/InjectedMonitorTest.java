package dev.strata.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.SearchRequest;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A monitor on the caller's threads and clock: nothing runs in the background, nothing reads the wall clock. */
class InjectedMonitorTest {
  @TempDir Path dir;

  @Test
  void recallSamplesRunOnTheCallersExecutorWithinTheQueueBound() {
    MonitoredCorpus data = new MonitoredCorpus(11, 2_000, 20);
    List<Runnable> queued = new ArrayList<>();
    MonitorOptions options = MonitorOptions.builder().recallSampleRate(1).recallQueueCapacity(5).name("injected").build();
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options, Clock.systemUTC(), queued::add);
        VectorIndex index = data.create(dir.resolve("idx"), VectorEncoding.FLOAT32, IndexOptions.builder().monitor(monitor).build())) {
      for (float[] query : data.normalQueries) {
        index.search(SearchRequest.builder(query).k(10).build());
      }
      assertThat(queued).as("five wait, the rest are dropped").hasSize(5);
      assertThat(monitor.recallEstimate().dropped()).isEqualTo(15);
      assertThat(monitor.recallEstimate().samples()).as("nothing ran by itself").isZero();
      queued.forEach(Runnable::run);
      assertThat(monitor.recallEstimate().samples()).isEqualTo(5);
      assertThat(monitor.recallEstimate().pending()).isZero();
      assertThat(monitor.recallEstimate().recall()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void driftEventsAreStampedByTheInjectedClock() {
    Instant fixed = Instant.parse("2031-05-06T07:08:09Z");
    List<DriftEvent> events = new ArrayList<>();
    try (RetrievalMonitor monitor = RetrievalMonitor.create(
        MonitorOptions.DEFAULTS, Clock.fixed(fixed, ZoneOffset.UTC), null)) {
      monitor.addListener(events::add);
      monitor.reset();
    }
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(DriftEvent.Kind.RESET);
      assertThat(e.at()).isEqualTo(fixed);
    });
  }
}
