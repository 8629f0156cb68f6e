package dev.strata.core.monitor;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * How a {@link RetrievalMonitor} watches searches. Made with {@link #builder()}; every field has a
 * default that monitors without getting in the way (breaker off, recall sampling off).
 *
 * @param baselineWindow observations that make the baseline
 * @param recentWindow observations whose mean is compared with the baseline's; a drift is seen
 *     within this many searches of its start
 * @param baselineMode frozen or sliding baseline
 * @param thresholdSigmas how far, in baseline standard deviations, a statistic's recent mean may
 *     move before the monitor calls it drift. The standard deviation used is at least 1% of the
 *     baseline mean's magnitude (and at least 1e-6), so a statistic that never varied (the query
 *     norm of normalised vectors) does not trip on rounding.
 * @param sampleRate fraction of searches observed (evenly spaced), in (0, 1]
 * @param minScore the score a hit needs to count in {@link RetrievalStatistic#HITS_ABOVE_MIN}
 * @param breaker what searches do while drifted
 * @param recallSampleRate fraction of approximate vector searches re-run exactly, in the
 *     background, to estimate recall; 0 (the default) turns the estimate off
 * @param recallQueueCapacity sampled searches waiting for their exact run at most; beyond it new
 *     samples are dropped (and counted), so a slow estimator never holds memory or snapshots
 *     without bound
 * @param meterRegistry where the monitor publishes its meters, or {@code null} for none
 * @param name the {@code index} tag on those meters and the name in log lines
 */
public record MonitorOptions(
    int baselineWindow,
    int recentWindow,
    BaselineMode baselineMode,
    double thresholdSigmas,
    double sampleRate,
    float minScore,
    BreakerMode breaker,
    double recallSampleRate,
    int recallQueueCapacity,
    MeterRegistry meterRegistry,
    String name) {

  public static final MonitorOptions DEFAULTS = builder().build();

  public MonitorOptions {
    if (baselineWindow < 2) {
      throw new IllegalArgumentException("baselineWindow must be >= 2, got " + baselineWindow);
    }
    if (recentWindow < 1) {
      throw new IllegalArgumentException("recentWindow must be >= 1, got " + recentWindow);
    }
    Objects.requireNonNull(baselineMode, "baselineMode");
    if (!(thresholdSigmas > 0) || Double.isInfinite(thresholdSigmas)) {
      throw new IllegalArgumentException("thresholdSigmas must be a finite number > 0, got " + thresholdSigmas);
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sampleRate must be in (0, 1], got " + sampleRate);
    }
    if (!Float.isFinite(minScore)) {
      throw new IllegalArgumentException("minScore must be finite, got " + minScore);
    }
    Objects.requireNonNull(breaker, "breaker");
    if (!(recallSampleRate >= 0 && recallSampleRate <= 1)) {
      throw new IllegalArgumentException("recallSampleRate must be in [0, 1], got " + recallSampleRate);
    }
    if (recallQueueCapacity < 1) {
      throw new IllegalArgumentException("recallQueueCapacity must be >= 1, got " + recallQueueCapacity);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some. */
  public Builder toBuilder() {
    return new Builder()
        .baselineWindow(baselineWindow).recentWindow(recentWindow).baselineMode(baselineMode)
        .thresholdSigmas(thresholdSigmas).sampleRate(sampleRate).minScore(minScore).breaker(breaker)
        .recallSampleRate(recallSampleRate).recallQueueCapacity(recallQueueCapacity)
        .meterRegistry(meterRegistry).name(name);
  }

  /** Builds {@link MonitorOptions}; {@link #build()} validates every field. */
  public static final class Builder {
    private int baselineWindow = 1000;
    private int recentWindow = 50;
    private BaselineMode baselineMode = BaselineMode.FROZEN;
    private double thresholdSigmas = 2.0;
    private double sampleRate = 1.0;
    private float minScore;
    private BreakerMode breaker = BreakerMode.OFF;
    private double recallSampleRate;
    private int recallQueueCapacity = 64;
    private MeterRegistry meterRegistry;
    private String name = "default";

    private Builder() {}

    /** Observations in the baseline window. */
    public Builder baselineWindow(int observations) {
      this.baselineWindow = observations;
      return this;
    }

    /** Observations in the recent window compared with the baseline. */
    public Builder recentWindow(int observations) {
      this.recentWindow = observations;
      return this;
    }

    /** How the baseline is kept ({@link BaselineMode}). */
    public Builder baselineMode(BaselineMode mode) {
      this.baselineMode = mode;
      return this;
    }

    /** Distance from the baseline, in standard deviations, that counts as drift. */
    public Builder thresholdSigmas(double sigmas) {
      this.thresholdSigmas = sigmas;
      return this;
    }

    /** Share of searches observed (0 to 1). */
    public Builder sampleRate(double fraction) {
      this.sampleRate = fraction;
      return this;
    }

    /** Top scores below this count as weak answers. */
    public Builder minScore(float score) {
      this.minScore = score;
      return this;
    }

    /** What drift does to searches ({@link BreakerMode}). */
    public Builder breaker(BreakerMode mode) {
      this.breaker = mode;
      return this;
    }

    /** Share of searches re-run exactly to estimate recall (0 to 1). */
    public Builder recallSampleRate(double fraction) {
      this.recallSampleRate = fraction;
      return this;
    }

    /** Exact re-runs waiting at most; more are dropped and counted. */
    public Builder recallQueueCapacity(int samples) {
      this.recallQueueCapacity = samples;
      return this;
    }

    /** Where the monitor's meters go. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /** The monitor's name in meters and messages. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The options; an invalid one is an {@link IllegalArgumentException} naming it. */
    public MonitorOptions build() {
      return new MonitorOptions(baselineWindow, recentWindow, baselineMode, thresholdSigmas, sampleRate, minScore,
          breaker, recallSampleRate, recallQueueCapacity, meterRegistry, name);
    }
  }
}
