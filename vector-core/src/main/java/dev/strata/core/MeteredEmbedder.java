package dev.strata.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Embedder} that publishes its calls, tagged {@code model} with the model's name:
 * latency per call ({@code strata.embed.latency}, with percentiles), texts per call ({@code
 * strata.embed.batch.size}), texts embedded ({@code strata.embed.texts}) and failed calls ({@code
 * strata.embed.failures}). Closing it closes the embedder it wraps. Thread-safe if that one is.
 */
public final class MeteredEmbedder implements Embedder {
  private final Embedder delegate;
  private final Timer latency;
  private final DistributionSummary batchSize;
  private final Counter texts;
  private final Counter failures;

  private MeteredEmbedder(Embedder delegate, MeterRegistry registry) {
    this.delegate = delegate;
    Tags tags = Tags.of("model", delegate.fingerprint().name());
    latency = Timer.builder("strata.embed.latency").description("time to embed one call's texts").tags(tags)
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    batchSize = DistributionSummary.builder("strata.embed.batch.size").description("texts per embed call")
        .tags(tags).register(registry);
    texts = Counter.builder("strata.embed.texts").description("texts embedded").tags(tags).register(registry);
    failures = Counter.builder("strata.embed.failures").description("embed calls that failed").tags(tags).register(registry);
  }

  /** {@code embedder}, publishing to {@code registry}. */
  public static MeteredEmbedder wrap(Embedder embedder, MeterRegistry registry) {
    return new MeteredEmbedder(Objects.requireNonNull(embedder, "embedder"), Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public ModelFingerprint fingerprint() {
    return delegate.fingerprint();
  }

  @Override
  public List<float[]> embed(List<String> batch) {
    return embedCountingTokens(batch).vectors();
  }

  @Override
  public Embeddings embedCountingTokens(List<String> batch) {
    long start = System.nanoTime();
    try {
      Embeddings vectors = delegate.embedCountingTokens(batch);
      texts.increment(batch.size());
      return vectors;
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    } finally {
      latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      batchSize.record(batch.size());
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "MeteredEmbedder(" + delegate + ")";
  }
}
