package dev.strata.bench;

import dev.strata.core.IndexOptions;
import dev.strata.core.OverloadedException;
import dev.strata.core.index.TextIndex;
import dev.strata.core.index.VectorIndex;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link FloodHarness}'s open loop: calls arrive at a fixed rate whether or not earlier ones have
 * answered (a retry storm does not wait), each on its own virtual thread, at multiples of the
 * capacity a closed loop measured first; admission control on, as shipped. After each flood, the
 * time until one caller's latency is back to what it was before.
 */
final class OpenLoopFlood {
  private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private OpenLoopFlood() {}

  static void run(String[] args, Path work, List<String> texts, List<String> questions, int seconds, Duration timeout)
      throws Exception {
    int[] overloads = Arrays.stream(HarnessSupport.arg(args, "overloads", "2,10,100").split(","))
        .mapToInt(Integer::parseInt).toArray();
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
      Path path = FloodHarness.passages(work, embedder, texts);
      try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
        TextIndex search = TextIndex.of(index, embedder);
        FloodHarness.run(search, questions, 32, seconds, timeout); // warm-up: the JIT, the caches
        FloodHarness.Step closed = FloodHarness.run(search, questions, 32, seconds, timeout);
        double capacity = closed.goodput();
        double quietP99 = quietP99(search, questions);
        System.out.printf("capacity (closed loop, 32 callers): %.0f/s; one caller's p99 before any flood: %.2f ms%n",
            capacity, quietP99);
        System.out.println("| overload | offered/s | goodput/s | goodput / capacity | p50 ms | p99 ms | max ms | refused |"
            + " timed out | refusal p99 ms | peak heap MB | back to normal p99 after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int overload : overloads) {
          double rate = capacity * overload;
          Flood f = flood(search, questions, rate, seconds, timeout);
          double recoveryMs = recovery(search, questions, quietP99, f.arrivalsEnded);
          System.out.printf("| %dx | %.0f | %.0f | %.2f | %.1f | %.1f | %.0f | %.1f%% | %.1f%% | %.2f | %.0f | %s |%n",
              overload, f.offered, f.goodput, f.goodput / capacity, f.p50, f.p99, f.max, f.refusedPct, f.timedOutPct,
              f.refusalP99, f.peakHeapMb, recoveryMs < 0 ? "not within 10 s" : String.format("%.0f ms", recoveryMs));
        }
      }
    } finally {
      HarnessSupport.deleteTree(work);
    }
  }

  private record Flood(double offered, double goodput, double p50, double p99, double max, double refusedPct,
      double timedOutPct, double refusalP99, double peakHeapMb, long arrivalsEnded) {}

  private static Flood flood(TextIndex search, List<String> questions, double rate, int seconds, Duration timeout)
      throws InterruptedException {
    FloodHarness.Tally tally = new FloodHarness.Tally();
    AtomicLong next = new AtomicLong();
    FloodHarness.resetPeaks();
    long intervalNanos = Math.max(1, (long) (1e9 / rate));
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long sent = 0;
    try (ExecutorService arrivals = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long due = start; due < end; due += intervalNanos) {
        long wait = due - System.nanoTime();
        if (wait > 50_000) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        sent++;
        arrivals.execute(() -> tally.search(search, questions.get((int) (next.getAndIncrement() % questions.size())), timeout));
      }
    } // waits for the calls still running
    double elapsed = (end - start) / 1e9;
    long total = Math.max(1, tally.good.sum() + tally.refused.sum() + tally.timedOut.sum());
    return new Flood(sent / elapsed, tally.good.sum() / elapsed, tally.admitted.percentileMs(0.5),
        tally.admitted.percentileMs(0.99), tally.admitted.percentileMs(1.0), 100.0 * tally.refused.sum() / total,
        100.0 * tally.timedOut.sum() / total, tally.refusals.percentileMs(0.99), FloodHarness.peakHeapMb(), end);
  }

  /** One caller's p99 over 2 s with nothing else running. */
  private static double quietP99(TextIndex search, List<String> questions) {
    List<Long> took = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (int q = 0; System.nanoTime() < end; q++) {
      long s = System.nanoTime();
      search.search(questions.get(q % questions.size()), 5, null, null);
      took.add(System.nanoTime() - s);
    }
    took.sort(null);
    return took.get((int) Math.min(took.size() - 1, Math.ceil(0.99 * took.size()) - 1)) / 1e6;
  }

  /**
   * Milliseconds from the last arrival ({@code floodEnded}; the calls still running then finish
   * first) until the first 100 ms window in which one caller's p99 is
   * within 1.5x of its quiet p99; -1 if that takes over 10 s.
   */
  private static double recovery(TextIndex search, List<String> questions, double quietP99, long floodEnded) {
    int q = 0;
    while (System.nanoTime() - floodEnded < TimeUnit.SECONDS.toNanos(10)) {
      long windowEnd = System.nanoTime() + WINDOW_NANOS;
      List<Long> took = new ArrayList<>();
      while (System.nanoTime() < windowEnd) {
        long s = System.nanoTime();
        try {
          search.search(questions.get(q++ % questions.size()), 5, null, null);
          took.add(System.nanoTime() - s);
        } catch (OverloadedException e) {
          took.add(Long.MAX_VALUE); // still refusing: not back
        }
      }
      took.sort(null);
      long p99 = took.get((int) Math.min(took.size() - 1, Math.ceil(0.99 * took.size()) - 1));
      if (p99 / 1e6 <= 1.5 * quietP99) {
        return (windowEnd - floodEnded) / 1e6;
      }
    }
    return -1;
  }
}
