package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The queue's scheduling with a runner that records its runs (the real model's vectors are checked
 * in {@link OnnxEmbedderTest}): calls that wait while the worker is busy share its next run, a run
 * keeps to its batch size and token budget, a failing text fails its own call only, and closing
 * fails what still waits.
 */
class EmbedQueueTest {
  /** Records each run's encodings; its first run waits for {@link #release}. */
  private static final class RecordingRunner implements EmbedQueue.Runner {
    final List<List<Object>> runs = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstRunStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    public void run(List<EmbedQueue.Text> texts, float[][] out) throws Exception {
      if (first.getAndSet(false)) {
        firstRunStarted.countDown();
        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      }
      List<Object> encodings = texts.stream().map(EmbedQueue.Text::encoding).toList();
      runs.add(encodings);
      if (encodings.contains("poison")) {
        throw new IllegalArgumentException("the model cannot read 'poison'");
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = new float[] {((String) encodings.get(i)).length()};
      }
    }
  }

  private static EmbedQueue.Call submit(EmbedQueue queue, String... texts) {
    int[] lengths = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      lengths[i] = texts[i].length();
    }
    return queue.submit(lengths, texts, EmbedQueue.shortestFirst(lengths));
  }

  private static EmbedQueue queue(RecordingRunner runner, int maxBatch, int tokenBudget) {
    return new EmbedQueue(runner, 1, maxBatch, tokenBudget, r -> {
      Thread t = new Thread(r, "embed-queue-test");
      t.setDaemon(true);
      return t;
    });
  }

  @Test
  void callsThatWaitWhileTheModelIsBusyShareItsNextRun() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    try (EmbedQueue queue = queue(runner, 32, 8192)) {
      EmbedQueue.Call first = submit(queue, "a");
      assertThat(runner.firstRunStarted.await(30, TimeUnit.SECONDS)).isTrue();
      List<EmbedQueue.Call> waiting = List.of(submit(queue, "bb"), submit(queue, "ccc"), submit(queue, "dddd", "e"));
      runner.release.countDown();
      assertThat(first.await()[0]).containsExactly(1f);
      assertThat(waiting.get(2).await()).isDeepEqualTo(new float[][] {{4}, {1}}); // input order kept
      assertThat(runner.runs).containsExactly(List.of("a"), List.of("bb", "ccc", "e", "dddd"));
      assertThat(queue.runsAndTexts()).containsExactly(2, 5);
    }
  }

  @Test
  void everyTextRunsOnceWithinTheBatchSizeAndTokenBudget() throws Exception {
    Random random = new Random(5);
    for (int round = 0; round < 20; round++) {
      RecordingRunner runner = new RecordingRunner();
      int maxBatch = 1 + random.nextInt(16);
      int budget = 64 + random.nextInt(512);
      List<EmbedQueue.Call> calls = new ArrayList<>();
      List<String> all = new ArrayList<>();
      try (EmbedQueue queue = queue(runner, maxBatch, budget)) {
        calls.add(submit(queue, "x"));
        assertThat(runner.firstRunStarted.await(30, TimeUnit.SECONDS)).isTrue();
        for (int c = 0; c < 10; c++) {
          String[] texts = new String[1 + random.nextInt(8)];
          for (int t = 0; t < texts.length; t++) {
            texts[t] = "t".repeat(1 + random.nextInt(60)) + "#" + c + "." + t;
          }
          all.addAll(List.of(texts));
          calls.add(submit(queue, texts));
        }
        runner.release.countDown();
        for (EmbedQueue.Call call : calls) {
          call.await();
        }
      }
      List<Object> ran = new ArrayList<>();
      for (List<Object> run : runner.runs.subList(1, runner.runs.size())) {
        assertThat(run.size()).isBetween(1, maxBatch);
        int longest = run.stream().mapToInt(e -> ((String) e).length()).max().orElseThrow();
        if (run.size() > 1) {
          assertThat((long) run.size() * longest).as("round %d", round).isLessThanOrEqualTo(budget);
        }
        ran.addAll(run);
      }
      assertThat(ran).containsExactlyInAnyOrderElementsOf(all);
    }
  }

  @Test
  void aTextThatBreaksTheModelFailsOnlyItsOwnCall() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    try (EmbedQueue queue = queue(runner, 32, 8192)) {
      EmbedQueue.Call first = submit(queue, "a");
      assertThat(runner.firstRunStarted.await(30, TimeUnit.SECONDS)).isTrue();
      EmbedQueue.Call before = submit(queue, "bb");
      EmbedQueue.Call poisoned = submit(queue, "ok", "poison");
      EmbedQueue.Call after = submit(queue, "dddd");
      runner.release.countDown();
      first.await();
      assertThat(before.await()).isDeepEqualTo(new float[][] {{2}});
      assertThat(after.await()).isDeepEqualTo(new float[][] {{4}});
      assertThatThrownBy(poisoned::await).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poison");
    }
  }

  @Test
  void closingFailsTheTextsStillWaitingAndLetsTheRunningOneFinish() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    EmbedQueue queue = queue(runner, 32, 8192);
    EmbedQueue.Call running = submit(queue, "a");
    assertThat(runner.firstRunStarted.await(30, TimeUnit.SECONDS)).isTrue();
    EmbedQueue.Call waiting = submit(queue, "bb");
    Thread closer = new Thread(queue::close);
    closer.start();
    assertThatThrownBy(waiting::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    runner.release.countDown();
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(running.await()).isDeepEqualTo(new float[][] {{1}});
    assertThatThrownBy(() -> submit(queue, "late")).isInstanceOf(IllegalStateException.class);
  }
}
