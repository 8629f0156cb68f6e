package dev.strata.embedder;

import java.util.Objects;

/**
 * How an {@link OnnxEmbedder} runs (none of this changes the vectors).
 *
 * @param device CPU, CUDA, or AUTO to pick CUDA when it works
 * @param threads sub-batches run side by side, each on one ONNX Runtime thread
 * @param tokenBudget padded tokens per sub-batch (batch size x longest text); bounds memory and
 *     keeps padding waste low since texts are sorted by length first
 * @param maxBatchSize texts per sub-batch at most
 */
public record EmbedderOptions(Device device, int threads, int tokenBudget, int maxBatchSize) {
  public static final EmbedderOptions DEFAULTS =
      new EmbedderOptions(Device.AUTO, Runtime.getRuntime().availableProcessors(), 8192, 128);

  public EmbedderOptions {
    Objects.requireNonNull(device, "device");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (tokenBudget < 2) {
      throw new IllegalArgumentException("tokenBudget must be >= 2, got " + tokenBudget);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
  }

  public EmbedderOptions withDevice(Device device) {
    return new EmbedderOptions(device, threads, tokenBudget, maxBatchSize);
  }

  public EmbedderOptions withThreads(int threads) {
    return new EmbedderOptions(device, threads, tokenBudget, maxBatchSize);
  }

  public EmbedderOptions withBatching(int tokenBudget, int maxBatchSize) {
    return new EmbedderOptions(device, threads, tokenBudget, maxBatchSize);
  }
}
