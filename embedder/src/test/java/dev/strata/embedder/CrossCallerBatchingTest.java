package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.AdmissionLimits;
import dev.strata.core.testing.Cosine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrent calls on the real fp32 model share runs, and each caller still gets the vector it
 * would get alone; the dynamically quantized default never shares a run.
 */
class CrossCallerBatchingTest {
  private static final List<String> QUERIES = List.of(
      "how do I restore yesterday's index?", "what is a snapshot", "compaction merges segments",
      "why did recall drop after the model upgrade", "the alias names the serving index", "rollback",
      "a write fence stops writers during a migration", "which model embedded these records");

  @Test
  void concurrentCallersGetTheirOwnVectorFromSharedRuns() throws Exception {
    // Admission unlimited: this is about sharing runs, not about refusing callers.
    try (OnnxEmbedder fp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load(),
        EmbedderOptions.builder().device(Device.CPU).threads(1).admission(AdmissionLimits.unlimited()).build())) {
      List<float[]> alone = new ArrayList<>();
      for (String q : QUERIES) {
        alone.add(fp32.embed(q));
      }
      long[] before = fp32.runsAndTexts();
      assertThat(before).containsExactly(QUERIES.size(), QUERIES.size());
      int callers = 32;
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> calls = new ArrayList<>();
        for (int c = 0; c < callers * 4; c++) {
          String q = QUERIES.get(c % QUERIES.size());
          calls.add(pool.submit(() -> {
            start.await();
            return fp32.embed(q);
          }));
        }
        start.countDown();
        for (int c = 0; c < calls.size(); c++) {
          float[] shared = calls.get(c).get(60, TimeUnit.SECONDS);
          assertThat(Cosine.of(shared, alone.get(c % QUERIES.size()))).as("call %d", c).isGreaterThanOrEqualTo(0.9999);
        }
      } finally {
        pool.shutdownNow();
      }
      long[] after = fp32.runsAndTexts();
      assertThat(after[1] - before[1]).isEqualTo(callers * 4L);
      // One worker, 128 calls released at once: while it runs one batch the others queue, so runs
      // are shared (how many depends on the scheduler; that some are is certain).
      assertThat(after[0] - before[0]).isLessThan(callers * 4L);
    }
  }

  @Test
  void theDynamicallyQuantizedModelNeverSharesARun() throws Exception {
    try (OnnxEmbedder quantized = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(),
        EmbedderOptions.builder().device(Device.CPU).threads(1).build())) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<float[]>>> calls = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
          calls.add(pool.submit(() -> quantized.embed(QUERIES)));
        }
        for (Future<List<float[]>> call : calls) {
          assertThat(call.get(60, TimeUnit.SECONDS)).hasSize(QUERIES.size());
        }
      } finally {
        pool.shutdownNow();
      }
      long[] runs = quantized.runsAndTexts();
      assertThat(runs[0]).isEqualTo(runs[1]).isEqualTo(16L * QUERIES.size());
    }
  }
}
