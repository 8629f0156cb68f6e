package dev.strata.embedder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The texts of every embed call waiting for the model, and the workers that run them: each worker
 * takes as many waiting texts as one run holds (at most {@code maxBatch} texts, texts x longest
 * within the token budget), whoever's call they came from. There is no collection window: a text
 * arriving at an idle worker runs at once, and texts that arrive while every worker is busy form
 * the next runs, so batches grow with the load instead of adding latency to it (the continuous
 * batching of text-embeddings-inference). A run that fails is run again call by call, so a text
 * that breaks the model fails its own call only.
 */
final class EmbedQueue implements AutoCloseable {
  /** One run of the model: fills {@code out[i]} with the vector of {@code texts.get(i)}. */
  @FunctionalInterface
  interface Runner {
    void run(List<Text> texts, float[][] out) throws Exception;
  }

  /** A tokenized text of one call, waiting for the model. */
  record Text(Call call, int index, int length, Object encoding) {}

  private final Runner runner;
  private final int maxBatch;
  private final int tokenBudget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final ArrayDeque<Text> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean closed;
  private long runs;
  private long textsRun;

  EmbedQueue(Runner runner, int workers, int maxBatch, int tokenBudget, ThreadFactory threads) {
    this.runner = runner;
    this.maxBatch = maxBatch;
    this.tokenBudget = tokenBudget;
    for (int i = 0; i < workers; i++) {
      Thread worker = threads.newThread(this::work);
      this.workers.add(worker);
      worker.start();
    }
  }

  /** One embed call's texts; {@link #await} returns their vectors in order. */
  static final class Call {
    private final float[][] vectors;
    private final CountDownLatch done;
    private volatile Throwable failure;
    private volatile boolean abandoned;

    private Call(int texts) {
      this.vectors = new float[texts][];
      this.done = new CountDownLatch(texts);
    }

    /** The vectors, once every text has run; the run's error if one of this call's texts failed it. */
    float[][] await() throws Exception {
      try {
        done.await();
      } catch (InterruptedException e) {
        abandoned = true; // its texts still waiting are skipped
        throw e;
      }
      Throwable f = failure;
      if (f instanceof Exception e) {
        throw e;
      }
      if (f instanceof Error e) {
        throw e;
      }
      return vectors;
    }

    private void fail(Throwable t, int texts) {
      failure = t;
      for (int i = 0; i < texts; i++) {
        done.countDown();
      }
    }
  }

  /**
   * Queues the texts of one call, in {@code order} (shortest first keeps padding low: they stay
   * together in the queue), and returns the call to await.
   */
  Call submit(int[] lengths, Object[] encodings, int[] order) {
    Call call = new Call(lengths.length);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the embedder is closed");
      }
      for (int i : order) {
        queue.add(new Text(call, i, lengths[i], encodings[i]));
      }
      waiting.signalAll();
    } finally {
      lock.unlock();
    }
    return call;
  }

  /** The order that keeps padding low: indexes of {@code lengths}, shortest first. */
  static int[] shortestFirst(int[] lengths) {
    return java.util.stream.IntStream.range(0, lengths.length).boxed()
        .sorted(java.util.Comparator.comparingInt(i -> lengths[i]))
        .mapToInt(Integer::intValue).toArray();
  }

  /** Runs so far and the texts they held: their ratio is the mean batch. */
  long[] runsAndTexts() {
    lock.lock();
    try {
      return new long[] {runs, textsRun};
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      List<Text> batch;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          waiting.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return; // closed and drained
        }
        batch = take();
        runs++;
        textsRun += batch.size();
      } finally {
        lock.unlock();
      }
      if (!batch.isEmpty()) {
        runGroup(batch, true);
      }
    }
  }

  /** The next run: waiting texts in order while the batch and its padded tokens fit. */
  private List<Text> take() {
    List<Text> batch = new ArrayList<>();
    int longest = 0;
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      Text next = queue.peek();
      if (next.call().abandoned || next.call().failure != null) {
        queue.poll();
        next.call().done.countDown();
        continue;
      }
      int longer = Math.max(longest, next.length());
      if (!batch.isEmpty() && (long) (batch.size() + 1) * longer > tokenBudget) {
        break;
      }
      batch.add(queue.poll());
      longest = longer;
    }
    return batch;
  }

  private void runGroup(List<Text> batch, boolean splitOnFailure) {
    float[][] out = new float[batch.size()][];
    try {
      runner.run(batch, out);
    } catch (Throwable t) {
      Map<Call, List<Text>> byCall = new LinkedHashMap<>();
      batch.forEach(text -> byCall.computeIfAbsent(text.call(), c -> new ArrayList<>()).add(text));
      if (splitOnFailure && byCall.size() > 1) {
        byCall.values().forEach(texts -> runGroup(texts, false)); // find whose text it was
      } else {
        byCall.forEach((call, texts) -> call.fail(t, texts.size()));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Text text = batch.get(i);
      text.call().vectors[text.index()] = out[i];
      text.call().done.countDown();
    }
  }

  /**
   * Refuses new calls, fails the texts still waiting, and waits up to 30 s for the runs in
   * progress to end (the model must not be closed under them).
   */
  @Override
  public void close() {
    List<Text> dropped;
    lock.lock();
    try {
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      waiting.signalAll();
    } finally {
      lock.unlock();
    }
    IllegalStateException closing = new IllegalStateException("the embedder was closed before this text was embedded");
    dropped.forEach(text -> {
      text.call().failure = closing;
      text.call().done.countDown();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
