package dev.strata.core.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.BruteForce;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  private static final int DIM = 16;
  /** Lucene's own merges would reclaim deletions at some commits and not others: off, for exact counts. */
  private static final IndexOptions COMPACTION_ONLY = IndexOptions.builder().backgroundMerges(false).build();

  @TempDir Path dir;

  /** A clock the test moves by hand: the scheduler's triggers without sleeping. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-28T03:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** {@code count} records over {@code commits} commits: several segments. */
  private static float[][] fill(VectorIndex index, int count, int commits, long seed) {
    float[][] vectors = ClusteredVectors.generate(seed, count, DIM, 12);
    int per = count / commits;
    for (int c = 0; c < commits; c++) {
      List<Record> batch = new ArrayList<>();
      for (int i = c * per; i < (c + 1) * per; i++) {
        batch.add(Record.of("r" + i, vectors[i]));
      }
      index.upsertAll(batch);
      index.commit("batch " + c);
    }
    return vectors;
  }

  private static List<String> exactTop(VectorIndex index, float[] query) {
    // ef above the record count: every graph is searched exhaustively, so results are exact
    return index.search(SearchRequest.builder(query).k(10).ef(5_000).build()).hits().stream().map(Hit::id).toList();
  }

  @Test
  void expungingDeletesKeepsTheLiveSetAndTheResults() {
    // Keeping one snapshot, so the old segments' bytes are freed once the compaction commits.
    IndexOptions keepOne = COMPACTION_ONLY.toBuilder().retention(RetentionPolicy.keepLast(1)).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(DIM, Similarity.COSINE).build(), keepOne)) {
      float[][] vectors = fill(index, 3000, 6, TestSeeds.seed("CompactionTest.expunge"));
      for (int i = 0; i < 3000; i += 2) {
        index.delete("r" + i);
      }
      SnapshotInfo halved = index.commit("delete half");
      assertThat(index.stats().deletedDocs()).isEqualTo(1500);
      List<List<String>> before = new ArrayList<>();
      for (int q = 0; q < 20; q++) {
        before.add(exactTop(index, vectors[q * 37]));
      }

      // Without prune, the compaction's commit deletes no snapshot, even one retention drops.
      CompactionReport keep = new Compactor(index).compact(CompactionPolicy.builder().build());
      assertThat(keep.snapshotsPruned()).isZero();
      assertThat(index.history().list()).hasSize(2);

      CompactionReport report = new Compactor(index).compact(
          CompactionPolicy.builder().expungeDeletes(true).prune(true).build());

      assertThat(report.before().deletedDocs()).isEqualTo(1500);
      assertThat(report.after().deletedDocs()).isZero();
      assertThat(index.stats().deletedDocs()).isZero();
      assertThat(report.after().docs()).isEqualTo(1500);
      assertThat(report.snapshot().recordDigest()).as("same live records").isEqualTo(halved.recordDigest());
      assertThat(report.snapshot().message()).startsWith("compaction (requested): expunge deletes, prune unretained snapshots");
      assertThat(report.io().bytesWritten()).as("counted by the directory wrapper").isPositive();
      assertThat(report.io().bytesRead()).isPositive();
      assertThat(report.after().bytes()).isLessThan(report.before().bytes());
      assertThat(report.snapshotsPruned()).isEqualTo(2);
      assertThat(index.history().list()).hasSize(1);
      for (int q = 0; q < 20; q++) {
        assertThat(exactTop(index, vectors[q * 37])).isEqualTo(before.get(q));
      }
      assertThat(index.history().verify(Long.toString(report.snapshot().id())).sound()).isTrue();
    }
  }

  @Test
  void mergingToOneSegmentDoesNotLowerRecallAndSearchesNeverFail() throws Exception {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(DIM, Similarity.COSINE).build(), COMPACTION_ONLY)) {
      float[][] vectors = fill(index, 4000, 8, TestSeeds.seed("CompactionTest.merge"));
      assertThat(index.stats().segments()).isGreaterThan(1);
      double recallBefore = recall(index, vectors);

      AtomicBoolean compacting = new AtomicBoolean(true);
      AtomicInteger searches = new AtomicInteger();
      CompletableFuture<Void> searcher = CompletableFuture.runAsync(() -> {
        while (compacting.get() || searches.get() < 10) {
          assertThat(index.search(SearchRequest.builder(vectors[searches.get() % vectors.length]).k(5).build()).hits())
              .hasSize(5);
          searches.incrementAndGet();
        }
      });
      CompactionReport report;
      try {
        report = new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build());
      } finally {
        compacting.set(false);
      }
      searcher.get(1, TimeUnit.MINUTES); // rethrows a failed search

      assertThat(report.after().segments()).isEqualTo(1);
      assertThat(index.stats().segments()).isEqualTo(1);
      assertThat(searches.get()).isPositive();
      // Before, each of the 8 segments kept ef candidates; after, the one graph keeps ef in all: at a
      // low effort a seed can lose a point or two (CI saw 0.98 after 1.0), not more.
      assertThat(recall(index, vectors)).as(TestSeeds.describe(TestSeeds.seed("CompactionTest.merge")))
          .isGreaterThanOrEqualTo(recallBefore - 0.03);
    }
  }

  private static double recall(VectorIndex index, float[][] vectors) {
    int found = 0;
    int queries = 50;
    for (int q = 0; q < queries; q++) {
      float[] query = vectors[(q * 79) % vectors.length];
      Set<String> exact = new HashSet<>();
      for (int i : BruteForce.topK(vectors, query, 10, Similarity.COSINE)) {
        exact.add("r" + i);
      }
      found += (int) index.search(SearchRequest.builder(query).k(10).ef(20).build()).hits().stream()
          .filter(h -> exact.contains(h.id())).count();
    }
    return found / (queries * 10.0);
  }

  @Test
  void theSchedulerFiresOnThresholdsAndIntervalsAndBacksOffAfterFailures() {
    ManualClock clock = new ManualClock();
    VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(DIM, Similarity.COSINE).build(), COMPACTION_ONLY);
    fill(index, 1000, 2, 7);
    Compactor compactor = new Compactor(index);
    CompactionPolicy policy = CompactionPolicy.builder()
        .deletedRatioAbove(0.3).every(Duration.ofHours(24)).expungeDeletes(true).build();
    CompactionScheduler scheduler = new CompactionScheduler(compactor, policy, clock, Duration.ofMinutes(1));

    assertThat(scheduler.tick()).as("never ran: the interval fires").isEqualTo(CompactionScheduler.Outcome.COMPACTED);
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.NOT_DUE);

    for (int i = 0; i < 300; i++) {
      index.delete("r" + i);
    }
    index.commit("30% deleted");
    assertThat(scheduler.tick()).as("ratio 0.30 is not above 0.3").isEqualTo(CompactionScheduler.Outcome.NOT_DUE);
    index.delete("r300");
    index.commit("one more");
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.COMPACTED);
    assertThat(scheduler.lastReport().orElseThrow().triggers()).singleElement().asString().startsWith("deleted ratio 0.301");
    assertThat(index.stats().deletedDocs()).isZero();

    clock.advance(Duration.ofHours(23));
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.NOT_DUE);
    clock.advance(Duration.ofHours(1));
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.COMPACTED);
    assertThat(scheduler.compactions()).isEqualTo(3);

    // A failure is counted and backs off, doubling, instead of retrying at once.
    index.close();
    clock.advance(Duration.ofDays(2));
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.FAILED);
    assertThat(scheduler.retryNotBefore()).contains(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.BACKING_OFF);
    clock.advance(Duration.ofMinutes(1));
    assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.FAILED);
    assertThat(scheduler.retryNotBefore()).contains(clock.instant().plus(Duration.ofMinutes(2)));
    assertThat(scheduler.failures()).isEqualTo(2);
  }

  @Test
  void oneCompactionAtATimeAndShutdownAbortsARunningOneCleanly() throws Exception {
    ManualClock clock = new ManualClock();
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(64, Similarity.COSINE).build(), COMPACTION_ONLY)) {
      float[][] vectors = ClusteredVectors.generate(11, 6000, 64, 10);
      for (int c = 0; c < 6; c++) {
        List<Record> batch = new ArrayList<>();
        for (int i = c * 1000; i < (c + 1) * 1000; i++) {
          batch.add(Record.of("r" + i, vectors[i]));
        }
        index.upsertAll(batch);
        index.commit("batch " + c);
      }
      IndexStats before = index.stats();
      Compactor compactor = new Compactor(index);
      // Throttled hard, so the merge is still running when the checks below happen.
      CompactionPolicy slow = CompactionPolicy.builder().segmentsAbove(1).maxSegments(1).maxMergeMbPerSec(0.2).build();
      CompactionScheduler scheduler = new CompactionScheduler(compactor, slow, clock, Duration.ofMinutes(1));
      CompletableFuture<CompactionScheduler.Outcome> first = CompletableFuture.supplyAsync(scheduler::tick);
      while (!compactor.isRunning() && !first.isDone()) {
        Thread.onSpinWait();
      }
      assertThat(scheduler.tick()).isEqualTo(CompactionScheduler.Outcome.ALREADY_RUNNING);
      assertThat(scheduler.shutdown(true, Duration.ofSeconds(30))).isTrue();
      assertThat(scheduler.tick()).as("nothing starts after shutdown").isEqualTo(CompactionScheduler.Outcome.STOPPED);
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(CompactionScheduler.Outcome.ABORTED);
      assertThat(scheduler.lastReport().orElseThrow().aborted()).isTrue();
      assertThat(index.latestSnapshot().id()).as("an aborted compaction commits nothing").isEqualTo(before.snapshot().id());
      assertThat(index.stats().segments()).isEqualTo(before.segments());
      assertThat(index.search(SearchRequest.builder(vectors[1]).k(1).build()).hits()).extracting(Hit::id).containsExactly("r1");

      // The index is fine afterwards: an unthrottled compaction completes.
      CompactionReport done = compactor.compact(CompactionPolicy.builder().maxSegments(1).build());
      assertThat(done.after().segments()).isEqualTo(1);
      assertThat(done.snapshot().recordDigest()).isEqualTo(before.snapshot().recordDigest());
    }
  }

  /** The background threads do what tick does: here, one compaction for a crossed threshold. */
  @Test
  void startedInTheBackgroundItCompactsOnceAndClosesCleanly() throws Exception {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(DIM, Similarity.COSINE).build(), COMPACTION_ONLY)) {
      fill(index, 600, 6, 3);
      CompactionPolicy policy = CompactionPolicy.builder().segmentsAbove(2).maxSegments(1).build();
      try (CompactionScheduler scheduler =
          new CompactionScheduler(new Compactor(index), policy, Clock.systemUTC(), Duration.ofMillis(10)).start()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.compactions() > 0);
        assertThat(scheduler.compactions()).isEqualTo(1);
        assertThat(index.stats().segments()).isEqualTo(1);
      }
      assertThat(index.history().list()).last().satisfies(s -> assertThat(s.info().message()).startsWith("compaction (6 segments > 2)"));
    }
  }
}
