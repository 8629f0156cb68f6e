package dev.strata.core.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.VectorSource;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveIndexTest {
  private static final int DIM = 8;

  @TempDir Path temp;

  @Test
  void everyCallReturnsDurableAndConcurrentCallersShareCommits() throws Exception {
    Path path = temp.resolve("idx");
    int threads = 4;
    int callsEach = 25;
    try (VectorIndex index = VectorIndex.create(path, schema());
        LiveIndex live = LiveIndex.of(index, CommitPolicy.everyCall())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          calls.add(pool.submit(() -> {
            for (int i = 0; i < callsEach; i++) {
              String id = "t" + thread + "-" + i;
              live.upsertAll(List.of(record(id, thread * 1000 + i)), VectorSource.UNSTATED);
              // Returned: durable, so a process opening the index now sees it.
              assertThat(index.contains(id)).as(id).isTrue();
            }
          }));
        }
        for (Future<?> call : calls) {
          call.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(live.commits()).isBetween(1L, (long) threads * callsEach);
      System.out.printf("%d calls from %d threads, %d commits%n", threads * callsEach, threads, live.commits());
    }
    try (VectorIndex reopened = VectorIndex.open(path)) {
      assertThat(reopened.stats().docs()).isEqualTo(threads * callsEach);
    }
  }

  @Test
  void intervalCommitsInTheBackgroundAndCloseCommitsTheRest() throws Exception {
    Path path = temp.resolve("idx");
    dev.strata.core.testing.ManualScheduler background = new dev.strata.core.testing.ManualScheduler();
    try (VectorIndex index = VectorIndex.create(path, schema(),
        IndexOptions.builder().scrubBytesPerSecond(0).scheduler(background).build())) {
      long before = index.latestSnapshot().id();
      try (LiveIndex live = LiveIndex.of(index, CommitPolicy.every(Duration.ofMillis(50)))) {
        live.upsertAll(List.of(record("a", 1)), VectorSource.UNSTATED);
        assertThat(index.contains("a")).as("buffered until the interval's commit").isFalse();
        assertThat(background.runPending()).as("the interval's commit").isEqualTo(1);
        assertThat(index.contains("a")).as("the background commit").isTrue();
        assertThat(index.latestSnapshot().id()).isGreaterThan(before);
        live.upsertAll(List.of(record("b", 2)), VectorSource.UNSTATED);
      }
      assertThat(index.contains("b")).as("close commits what was buffered").isTrue();
    }
  }

  @Test
  void aFailedBackgroundCommitIsThrownByTheNextCallNotSwallowed() throws Exception {
    Path path = temp.resolve("idx");
    dev.strata.core.testing.ManualScheduler background = new dev.strata.core.testing.ManualScheduler();
    try (VectorIndex index = VectorIndex.create(path, schema(),
            IndexOptions.builder().scrubBytesPerSecond(0).scheduler(background).build());
        LiveIndex live = LiveIndex.of(index, CommitPolicy.every(Duration.ofMillis(20)))) {
      // A live migration's fence refuses every commit: the background commit fails.
      dev.strata.core.internal.fence.WriteFence.Raised fence = dev.strata.core.internal.fence.WriteFence.raise(path,
          temp.resolve("some.alias"), temp.resolve("elsewhere"), 1, Duration.ofMinutes(5), java.time.Clock.systemUTC());
      live.upsertAll(List.of(record("a", 1)), VectorSource.UNSTATED);
      background.runPending(); // the interval's commit, refused by the fence
      assertThatThrownBy(() -> live.upsertAll(List.of(record("b", 2)), VectorSource.UNSTATED))
          .as("the next call reports the failed background commit")
          .hasMessageContaining("background commit").hasMessageContaining("may not be durable")
          .hasMessageContaining("fenced");
      fence.close(); // the migration gave up: lifted
      live.upsertAll(List.of(record("c", 3)), VectorSource.UNSTATED);
      assertThat(live.flush().liveCount()).as("after the fence, commits go on").isPositive();
    }
  }

  @Test
  void recordsPolicyCommitsOnTheCallThatReachesTheCount() {
    try (VectorIndex index = VectorIndex.create(temp.resolve("idx"), schema());
        LiveIndex live = LiveIndex.of(index, CommitPolicy.everyRecords(3))) {
      live.upsertAll(List.of(record("a", 1), record("b", 2)), VectorSource.UNSTATED);
      assertThat(index.contains("a")).as("2 of 3 records: not committed yet").isFalse();
      live.deleteAll(List.of("zz"));
      assertThat(index.contains("a")).as("the third record commits").isTrue();
      assertThat(live.commits()).isEqualTo(1);
      live.upsertAll(List.of(record("c", 3)), VectorSource.UNSTATED);
      assertThat(index.contains("c")).isFalse();
    }
  }

  @Test
  void explicitCommitsOnlyOnFlushAndCloseDiscards() {
    Path path = temp.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, schema())) {
      try (LiveIndex live = LiveIndex.of(index, CommitPolicy.explicit())) {
        live.upsertAll(List.of(record("a", 1)), VectorSource.UNSTATED);
        assertThat(index.contains("a")).isFalse();
        assertThat(live.flush().liveCount()).isEqualTo(1);
        live.upsertAll(List.of(record("b", 2)), VectorSource.UNSTATED);
      }
      assertThat(index.contains("b")).as("explicit: close does not commit").isFalse();
    }
  }

  @Test
  void anInvalidRecordIsRefusedAndNothingElseIsLost() {
    try (VectorIndex index = VectorIndex.create(temp.resolve("idx"), schema());
        LiveIndex live = LiveIndex.of(index, CommitPolicy.everyCall())) {
      live.upsertAll(List.of(record("a", 1)), VectorSource.UNSTATED);
      assertThatThrownBy(() -> live.upsertAll(List.of(new Record("b", new float[DIM - 1], "x", java.util.Map.of())),
          VectorSource.UNSTATED)).hasMessageContaining("dimension");
      assertThat(live.flush().liveCount()).isEqualTo(1);
    }
  }

  @Test
  void aReadOnlyIndexFollowsTheWriterByItself() throws Exception {
    Path path = temp.resolve("idx");
    dev.strata.core.testing.ManualScheduler scheduler = new dev.strata.core.testing.ManualScheduler();
    try (VectorIndex writer = VectorIndex.create(path, schema());
        VectorIndex reader = VectorIndex.open(path, IndexOptions.builder().readOnly(true).scrubBytesPerSecond(0)
            .refreshInterval(Duration.ofMillis(50)).scheduler(scheduler).build());
        VectorIndex manual = VectorIndex.open(path, IndexOptions.builder().readOnly(true).scrubBytesPerSecond(0)
            .refreshInterval(Duration.ZERO).scheduler(scheduler).build())) {
      writer.upsert(record("a", 1));
      writer.commit("a");
      assertThat(reader.contains("a")).as("not before its refresh runs").isFalse();
      assertThat(scheduler.runPending()).as("the reader's refresh; none for refreshInterval 0").isEqualTo(1);
      assertThat(reader.contains("a")).as("the read-only index's own refresh").isTrue();
      assertThat(manual.contains("a")).as("refreshInterval 0: only refresh() moves it").isFalse();
      manual.refresh();
      assertThat(manual.contains("a")).isTrue();
    }
    assertThat(scheduler.scheduled()).as("closing the index cancels its refresh").isZero();
  }

  @Test
  void policiesParseFromText() {
    assertThat(CommitPolicy.parse("every-call")).isEqualTo(CommitPolicy.everyCall());
    assertThat(CommitPolicy.parse("interval:1s")).isEqualTo(CommitPolicy.every(Duration.ofSeconds(1)));
    assertThat(CommitPolicy.parse("interval:250ms").interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(CommitPolicy.parse("records:500")).isEqualTo(CommitPolicy.everyRecords(500));
    assertThat(CommitPolicy.parse("EXPLICIT")).isEqualTo(CommitPolicy.explicit());
    for (CommitPolicy p : List.of(CommitPolicy.everyCall(), CommitPolicy.every(Duration.ofMillis(1500)),
        CommitPolicy.everyRecords(7), CommitPolicy.explicit())) {
      assertThat(CommitPolicy.parse(p.toString())).isEqualTo(p);
    }
    assertThatThrownBy(() -> CommitPolicy.parse("interval:5")).hasMessageContaining("unit");
    assertThatThrownBy(() -> CommitPolicy.parse("records:0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> CommitPolicy.parse("sometimes")).hasMessageContaining("every-call, explicit");
  }

  static IndexSchema schema() {
    return IndexSchema.builder(DIM, Similarity.COSINE).build();
  }

  static Record record(String id, long seed) {
    Random random = new Random(seed);
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return Record.of(id, v, "text of " + id + " #" + seed);
  }
}
