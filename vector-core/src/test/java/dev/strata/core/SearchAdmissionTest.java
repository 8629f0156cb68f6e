package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches of a real index go through its admission: refused at once when it is full, answered
 * flagged (or refused, for all or nothing) when their timeout passes while they wait, metered; and
 * a flood of searches never keeps a commit from going through.
 */
class SearchAdmissionTest {
  @TempDir Path dir;

  private VectorIndex index(IndexOptions options) {
    VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), options);
    index.upsertAll(List.of(Record.of("a", new float[] {1, 0}), Record.of("b", new float[] {0, 1})));
    index.commit("two");
    return index;
  }

  @Test
  void aFullIndexRefusesAtOnceAndATimeoutInTheQueueAnswersFlagged() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IndexOptions options = IndexOptions.builder().searchAdmission(new AdmissionLimits(1, 1)).meterRegistry(registry).build();
    try (VectorIndex index = index(options)) {
      SearchRequest query = SearchRequest.builder(new float[] {1, 0}).k(1).build();
      assertThat(index.search(query).hits()).extracting(Hit::id).containsExactly("a");
      AdmissionControl.Permit held = index.searchAdmission().enter(Long.MAX_VALUE, null); // a search in flight

      SearchResult waited = index.search(query.toBuilder().timeout(Duration.ofMillis(20)).build());
      assertThat(waited.timedOut()).isTrue();
      assertThat(waited.hits()).isEmpty();
      assertThatThrownBy(() -> index.search(query.toBuilder().timeout(Duration.ofMillis(20)).allOrNothing(true).build()))
          .isInstanceOf(DeadlineExceededException.class);

      ExecutorService caller = Executors.newSingleThreadExecutor();
      try {
        Future<SearchResult> queued = caller.submit(() -> index.search(query)); // waits: the queue's one place
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (index.searchAdmission().queued() < 1) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(1);
        }
        assertThatThrownBy(() -> index.search(query)).isInstanceOf(OverloadedException.class)
            .hasMessageContaining("searches of index");
        held.close();
        assertThat(queued.get(30, TimeUnit.SECONDS).hits()).extracting(Hit::id).containsExactly("a");
      } finally {
        caller.shutdownNow();
      }
      assertThat(registry.get("strata.search.admission.rejected").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("strata.search.admission.timedout").functionCounter().count()).isEqualTo(2);
      assertThat(registry.get("strata.search.admission.running").gauge().value()).isZero();
    }
    assertThat(registry.find("strata.search.admission.running").gauge()).as("removed with the index").isNull();
  }

  @Test
  void aFloodOfSearchesNeverKeepsACommitFromGoingThrough() throws Exception {
    IndexOptions options = IndexOptions.builder().searchAdmission(new AdmissionLimits(1, 2)).build();
    try (VectorIndex index = index(options)) {
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicLong refused = new AtomicLong();
      AtomicLong answered = new AtomicLong();
      ExecutorService flood = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          callers.add(flood.submit(() -> {
            while (flooding.get()) {
              try {
                index.search(SearchRequest.builder(new float[] {1, 0}).k(2).build());
                answered.incrementAndGet();
              } catch (OverloadedException e) {
                refused.incrementAndGet();
                try {
                  Thread.sleep(1); // back off, as a caller should
                } catch (InterruptedException stop) {
                  return;
                }
              }
            }
          }));
        }
        for (int i = 0; i < 20; i++) { // each commit must go through while the flood goes on
          index.upsertAll(List.of(Record.of("w" + i, new float[] {i, 1})));
          assertThat(index.commit("under the flood " + i).liveCount()).isEqualTo(3 + i);
        }
        flooding.set(false);
        for (Future<?> c : callers) {
          c.get(30, TimeUnit.SECONDS);
        }
      } finally {
        flood.shutdownNow();
      }
      System.out.printf("search flood: %d answered, %d refused at once, 20 commits through%n", answered.get(), refused.get());
      assertThat(answered.get()).isPositive();
      assertThat(index.searchAdmission().running()).isZero();
    }
  }
}
