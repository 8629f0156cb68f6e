package dev.strata.embedder;

import java.util.Objects;

/**
 * How an {@link OnnxEmbedder} runs (none of this changes the vectors). Immutable; make one with
 * {@link #builder()} or change one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * EmbedderOptions options = EmbedderOptions.builder().device(Device.CPU).threads(2).build();
 * }</pre>
 */
public final class EmbedderOptions {
  public static final EmbedderOptions DEFAULTS = builder().build();

  private final Device device;
  private final int threads;
  private final int tokenBudget;
  private final int maxBatchSize;
  private final dev.strata.core.AdmissionLimits admission;
  private final boolean admissionSet;

  private EmbedderOptions(Builder b) {
    this.device = Objects.requireNonNull(b.device, "device");
    if (b.threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + b.threads);
    }
    if (b.tokenBudget < 2) {
      throw new IllegalArgumentException("tokenBudget must be >= 2, got " + b.tokenBudget);
    }
    if (b.maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + b.maxBatchSize);
    }
    this.threads = b.threads;
    this.tokenBudget = b.tokenBudget;
    this.maxBatchSize = b.maxBatchSize;
    this.admission = Objects.requireNonNull(b.admission, "admission");
    this.admissionSet = b.admissionSet;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some. */
  public Builder toBuilder() {
    Builder builder = new Builder().device(device).threads(threads).tokenBudget(tokenBudget).maxBatchSize(maxBatchSize);
    return admissionSet ? builder.admission(admission) : builder;
  }

  /** CPU, CUDA, or AUTO to pick CUDA when it works. */
  public Device device() {
    return device;
  }

  /**
   * The admission limits of an embedder: the ones set, else {@link
   * dev.strata.core.AdmissionLimits#embeddings()}, with 16 running calls per thread where calls
   * share runs ({@code batching}): a waiting call's texts join the next run instead of queueing
   * behind it.
   */
  dev.strata.core.AdmissionLimits admissionFor(boolean batching) {
    if (admissionSet || !batching) {
      return admission;
    }
    return new dev.strata.core.AdmissionLimits(Math.max(admission.maxRunning(), 16 * threads), admission.maxQueued());
  }

  /** Sub-batches run side by side, each on one ONNX Runtime thread. */
  public int threads() {
    return threads;
  }

  /**
   * Padded tokens per sub-batch (batch size x longest text): bounds memory and keeps padding
   * waste low, since texts are sorted by length first.
   */
  public int tokenBudget() {
    return tokenBudget;
  }

  /** Texts per sub-batch at most. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** How many embed calls run at once and wait behind them (see {@link Builder#admission}). */
  public dev.strata.core.AdmissionLimits admission() {
    return admission;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbedderOptions other && device == other.device && threads == other.threads
        && tokenBudget == other.tokenBudget && maxBatchSize == other.maxBatchSize && admission.equals(other.admission);
  }

  @Override
  public int hashCode() {
    return Objects.hash(device, threads, tokenBudget, maxBatchSize, admission);
  }

  @Override
  public String toString() {
    return "EmbedderOptions[device=" + device + ", threads=" + threads + ", tokenBudget=" + tokenBudget
        + ", maxBatchSize=" + maxBatchSize + ", admission=" + admission + "]";
  }

  /** Collects options; every one has a default: AUTO device, one thread per core, 8192 tokens, 128 texts. */
  public static final class Builder {
    private Device device = Device.AUTO;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int tokenBudget = 8192;
    private int maxBatchSize = 128;
    private dev.strata.core.AdmissionLimits admission = dev.strata.core.AdmissionLimits.embeddings();
    private boolean admissionSet;

    private Builder() {}

    /** Where the model runs (default AUTO: CUDA when it works here, else CPU). */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** Sub-batches embedded side by side (default: one per core). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Padded tokens per sub-batch at most (default 8192). */
    public Builder tokenBudget(int tokenBudget) {
      this.tokenBudget = tokenBudget;
      return this;
    }

    /** Texts per sub-batch at most (default 128; a dynamically quantized model runs one at a time). */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * How many embed calls run at once and how many wait behind them; a call beyond both is refused
     * at once with {@link dev.strata.core.OverloadedException} (default {@link
     * dev.strata.core.AdmissionLimits#embeddings()}: two per processor running, 3 per processor
     * waiting; 16 running per thread for a model whose texts share runs).
     */
    public Builder admission(dev.strata.core.AdmissionLimits admission) {
      this.admission = admission;
      this.admissionSet = true;
      return this;
    }

    /** The options; an invalid one is an {@link IllegalArgumentException} naming it. */
    public EmbedderOptions build() {
      return new EmbedderOptions(this);
    }
  }
}
