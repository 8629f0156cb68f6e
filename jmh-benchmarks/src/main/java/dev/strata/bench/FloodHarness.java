package dev.strata.bench;

import dev.strata.core.AdmissionLimits;
import dev.strata.core.DeadlineExceededException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.OverloadedException;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.OnnxEmbedder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Text search end to end (the default embedder, then the index) from a closed loop of N caller
 * threads, each step {@code seconds} long, with admission control on (the defaults) and off
 * ({@link AdmissionLimits#unlimited()}: every call accepted, as before), the two interleaved step
 * by step. Per step: goodput (answers within the caller's timeout per second), admitted latency
 * p50/p99/max, refused and timed-out fractions, how long a refusal took, and the peak heap.
 *
 * <p>Usage: {@code FloodHarness [callers=1,2,8,32,128,512] [seconds=15] [passages=311]
 * [timeoutMs=1000]}. Run with {@code -Xmx512m}.
 *
 * <p>{@code mode=open}: an open loop instead (arrivals at a fixed rate, each on its own virtual
 * thread, whether or not earlier calls have answered), at {@code overloads=2,10,100} times the
 * capacity a closed loop of 32 callers measured first, admission on; then the time until a single
 * caller's p99 over 100 ms windows is back within 1.5x of its p99 before the flood.
 *
 * <p>{@code mode=batching}: the same closed loop on the fp32 model ({@code dev.strata:embedder-fp32},
 * whose vectors do not depend on their batch), texts of concurrent calls sharing runs (the
 * default) against one text per run ({@code maxBatchSize(1)}), interleaved step by step.
 */
public final class FloodHarness {
  private FloodHarness() {}

  public static void main(String[] args) throws Exception {
    int[] callers = Arrays.stream(HarnessSupport.arg(args, "callers", "1,2,8,32,128,512").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int seconds = HarnessSupport.intArg(args, "seconds", 15);
    int passages = HarnessSupport.intArg(args, "passages", 311);
    Duration timeout = Duration.ofMillis(HarnessSupport.intArg(args, "timeoutMs", 1000));
    Path work = Files.createTempDirectory("strata-flood");
    List<String> texts = SyntheticTexts.of(passages, 400, 7);
    List<String> questions = SyntheticTexts.of(200, 60, 11); // short queries, as a service gets
    String mode = HarnessSupport.arg(args, "mode", "closed");
    if (mode.equals("open")) {
      OpenLoopFlood.run(args, work, texts, questions, seconds, timeout);
      return;
    }
    if (mode.equals("batching")) {
      batching(callers, work, texts, questions, seconds, timeout);
      return;
    }
    System.out.println("| admission | callers | goodput/s | p50 ms | p99 ms | max ms | refused | timed out | refusal p99 ms | peak heap MB |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    try (OnnxEmbedder onLimited = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
        OnnxEmbedder onUnlimited = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(),
            EmbedderOptions.builder().admission(AdmissionLimits.unlimited()).build())) {
      Path path = passages(work, onLimited, texts);
      for (int step = 0; step < callers.length; step++) {
        int n = callers[step];
        // The order alternates step by step: neither mode always runs on the colder JVM.
        for (boolean limited : step % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          IndexOptions options = IndexOptions.builder().readOnly(true)
              .searchAdmission(limited ? AdmissionLimits.searches() : AdmissionLimits.unlimited()).build();
          try (VectorIndex index = VectorIndex.open(path, options)) {
            Step r = run(TextIndex.of(index, limited ? onLimited : onUnlimited), questions, n, seconds, timeout);
            System.out.printf("| %s | %d | %.0f | %.1f | %.1f | %.0f | %.1f%% | %.1f%% | %.2f | %.0f |%n",
                limited ? "on" : "off", n, r.goodput, r.p50, r.p99, r.max, r.refusedPct, r.timedOutPct,
                r.refusalP99, r.peakHeapMb);
          }
        }
      }
    } finally {
      HarnessSupport.deleteTree(work);
    }
  }

  /** Cross-caller batching on and off, fp32 model, closed loop, interleaved step by step. */
  private static void batching(int[] callers, Path work, List<String> texts, List<String> questions, int seconds,
      Duration timeout) throws Exception {
    System.out.println("| runs shared | callers | goodput/s | p50 ms | p99 ms | max ms | refused | timed out | texts per run |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    try (OnnxEmbedder shared = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load());
        OnnxEmbedder alone = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load(), EmbedderOptions.builder().maxBatchSize(1).build())) {
      Path path = passages(work, shared, texts);
      for (int step = 0; step < callers.length; step++) {
        for (boolean batching : step % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          OnnxEmbedder embedder = batching ? shared : alone;
          long[] before = embedder.runsAndTexts();
          try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
            Step r = run(TextIndex.of(index, embedder), questions, callers[step], seconds, timeout);
            long[] after = embedder.runsAndTexts();
            System.out.printf("| %s | %d | %.0f | %.1f | %.1f | %.0f | %.1f%% | %.1f%% | %.2f |%n", batching ? "yes" : "no",
                callers[step], r.goodput, r.p50, r.p99, r.max, r.refusedPct, r.timedOutPct,
                (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0]));
          }
        }
      }
    } finally {
      HarnessSupport.deleteTree(work);
    }
  }

  /** An index of {@code texts} embedded with {@code embedder}, committed, closed. */
  static Path passages(Path work, OnnxEmbedder embedder, List<String> texts) {
    IndexSchema schema = IndexSchema.builder(embedder.dimension(), Similarity.COSINE)
        .modelFingerprint(embedder.fingerprint().encoded()).fullText(true).build();
    Path path = work.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, schema)) {
      List<TextRecord> records = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        records.add(TextRecord.of("p" + i, texts.get(i)));
      }
      TextIndex.of(index, embedder).upsertAll(records);
      index.commit("passages");
    }
    return path;
  }

  record Step(double goodput, double p50, double p99, double max, double refusedPct, double timedOutPct,
      double refusalP99, double peakHeapMb) {}

  static Step run(TextIndex texts, List<String> queries, int callers, int seconds, Duration timeout)
      throws InterruptedException {
    AtomicBoolean going = new AtomicBoolean(true);
    Tally tally = new Tally();
    CountDownLatch done = new CountDownLatch(callers);
    resetPeaks();
    long start = System.nanoTime();
    for (int t = 0; t < callers; t++) {
      int seed = t;
      Thread caller = new Thread(() -> {
        int q = seed;
        while (going.get()) {
          OverloadedException refusal = tally.search(texts, queries.get(q++ % queries.size()), timeout);
          if (refusal != null) {
            sleepQuietly(refusal.retryAfter().toMillis()); // backs off, as a caller should
          }
        }
        done.countDown();
      });
      caller.setDaemon(true);
      caller.start();
    }
    Thread.sleep(seconds * 1000L);
    going.set(false);
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long total = Math.max(1, tally.good.sum() + tally.refused.sum() + tally.timedOut.sum());
    return new Step(tally.good.sum() / elapsed, tally.admitted.percentileMs(0.5), tally.admitted.percentileMs(0.99),
        tally.admitted.percentileMs(1.0), 100.0 * tally.refused.sum() / total, 100.0 * tally.timedOut.sum() / total,
        tally.refusals.percentileMs(0.99), peakHeapMb());
  }

  /** What the calls of one step came to: answered in time, refused, timed out, with latencies. */
  static final class Tally {
    final LongAdder good = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final Histogram admitted = new Histogram(); // constant memory: a 512-caller step does not measure its own arrays
    final Histogram refusals = new Histogram();

    /** One text search, counted; the refusal, for a caller that backs off, or null. */
    OverloadedException search(TextIndex texts, String query, Duration timeout) {
      long s = System.nanoTime();
      try {
        SearchResult r = texts.search(query, 5, null, timeout);
        long took = System.nanoTime() - s;
        if (r.timedOut() || took > timeout.toNanos()) {
          timedOut.increment();
        } else {
          good.increment();
          admitted.record(took);
        }
        return null;
      } catch (OverloadedException e) {
        refused.increment();
        refusals.record(System.nanoTime() - s);
        return e;
      } catch (DeadlineExceededException e) {
        timedOut.increment();
        return null;
      }
    }
  }

  /** Latencies in buckets 5% apart from 1 us to about 20 minutes: percentiles within 5%, in constant memory. */
  static final class Histogram {
    private static final double GROWTH = 1.05;
    private final java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(600);

    void record(long nanos) {
      int bucket = (int) Math.floor(Math.log(Math.max(1, nanos / 1000.0)) / Math.log(GROWTH));
      counts.incrementAndGet(Math.min(counts.length() - 1, Math.max(0, bucket)));
    }

    double percentileMs(double p) {
      long total = 0;
      for (int i = 0; i < counts.length(); i++) {
        total += counts.get(i);
      }
      if (total == 0) {
        return Double.NaN;
      }
      long rank = Math.max(1, (long) Math.ceil(p * total));
      long seen = 0;
      for (int i = 0; i < counts.length(); i++) {
        seen += counts.get(i);
        if (seen >= rank) {
          return Math.pow(GROWTH, i + 1) / 1000.0; // the bucket's upper bound, in ms
        }
      }
      return Double.NaN;
    }
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static double peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / 1e6;
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
