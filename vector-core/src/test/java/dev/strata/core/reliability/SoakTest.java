package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionScheduler;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.TestSeeds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything at once for a bounded time: a writer committing batches, readers searching through a
 * handle, a thread swapping the handle between snapshots, and scheduled compaction. No operation
 * may fail, every search must see a committed state, and afterwards no reader, file handle or
 * memory may be left behind. {@code -Dtests.soak.seconds=N} (default 8; {@code bin/test --soak}
 * runs 300).
 */
class SoakTest {
  private static final int DIM = 16;

  @TempDir Path dir;

  @Test
  void writerReadersSwapsAndCompactionTogetherLeaveNothingBehind() throws Exception {
    long seconds = Long.getLong("tests.soak.seconds", 8);
    long seed = TestSeeds.seed("soak");
    Path path = dir.resolve("idx");
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong searches = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    AtomicLong swaps = new AtomicLong();
    long descriptorsBefore = openDescriptors();

    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(batch(new Random(seed), 0));
      index.commit("seed");
      CompactionPolicy policy = CompactionPolicy.builder().segmentsAbove(3).expungeDeletes(true).maxSegments(1)
          .prune(true).build();
      CompactionScheduler scheduler = new CompactionScheduler(new Compactor(index), policy, Clock.systemUTC(),
          Duration.ofMillis(200)).start();
      long heapMidway = 0;
      try (SearcherHandle handle = SearcherHandle.open(path)) {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        threads.add(worker("writer", running, errors, random -> {
          int round = (int) commits.get() + 1;
          index.upsertAll(batch(random, round));
          index.deleteAll(List.of("r" + random.nextInt(round * 100), "r" + random.nextInt(round * 100)));
          index.commit("round " + round);
          commits.incrementAndGet();
        }, seed + 1));
        for (int r = 0; r < 2; r++) {
          threads.add(worker("reader-" + r, running, errors, random -> {
            try (SnapshotView view = handle.acquire()) {
              SearchResult result = view.search(SearchRequest.builder(vector(random)).k(10).build());
              assertThat(result.snapshotId()).isEqualTo(view.snapshot().id());
              assertThat(result.hits()).hasSizeLessThanOrEqualTo(10);
              searches.incrementAndGet();
            }
          }, seed + 2 + r));
        }
        threads.add(worker("swapper", running, errors, random -> {
          handle.refresh();
          List<Long> kept = index.history().list().stream().map(s -> s.info().id()).toList();
          long target = kept.get(random.nextInt(kept.size()));
          try {
            handle.swapTo(Long.toString(target));
          } catch (IllegalArgumentException pruned) {
            // retention removed it between the listing and the swap: a race the test allows, as
            // long as it is reported as such
            assertThat(pruned.getMessage()).containsAnyOf("keeps no snapshot", "no longer keeps snapshot");
          }
          swaps.incrementAndGet();
          Thread.sleep(20);
        }, seed + 5));
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 500);
        heapMidway = usedHeapAfterGc();
        Thread.sleep(seconds * 500);
        running.set(false);
        for (Thread t : threads) {
          t.join(60_000);
        }
        assertThat(scheduler.shutdown(false, Duration.ofMinutes(1))).as("scheduler stopped").isTrue();
        handle.refresh();
        assertThat(handle.openReaders()).as("readers held after every view closed").isLessThanOrEqualTo(2);
      }
      long heapEnd = usedHeapAfterGc();
      System.out.printf("soak %d s: %d commits, %d searches, %d swaps, %d compactions; heap %d MiB midway, %d MiB at the end%n",
          seconds, commits.get(), searches.get(), swaps.get(), index.counters().compactions(), heapMidway >> 20, heapEnd >> 20);
      assertThat(errors).as("errors during the soak").isEmpty();
      assertThat(commits.get()).isPositive();
      assertThat(searches.get()).isPositive();
      assertThat(heapEnd - heapMidway).as("heap growth in the second half, bytes").isLessThan(64L << 20);
      for (var report : index.history().verifyAll()) {
        assertThat(report.sound()).as(report.toString()).isTrue();
      }
    }
    assertThat(openDescriptors() - descriptorsBefore).as("file descriptors left open").isLessThanOrEqualTo(4);
  }

  private interface Step {
    void run(Random random) throws Exception;
  }

  private static Thread worker(String name, AtomicBoolean running, Queue<Throwable> errors, Step step, long seed) {
    return new Thread(() -> {
      Random random = new Random(seed);
      while (running.get()) {
        try {
          step.run(random);
        } catch (Throwable t) {
          errors.add(new AssertionError(name + " failed", t));
          return;
        }
      }
    }, "soak-" + name);
  }

  private static List<Record> batch(Random random, int round) {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.add(Record.of("r" + (round * 100 + i), vector(random)));
    }
    return records;
  }

  private static float[] vector(Random random) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
