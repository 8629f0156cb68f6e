package dev.strata.opensearch;

import java.time.Duration;
import java.util.Random;

/**
 * How often and how patiently a request the cluster pushed back on (HTTP 429, 502, 503, 504, a
 * refused or dropped connection) is sent again. Bounded on purpose: a retry loop without a limit
 * turns one overloaded node into a storm. Delays grow exponentially and are drawn uniformly below
 * that ceiling ("full jitter"), so many publishers backing off at once do not come back in step.
 *
 * @param maxAttempts tries per request, the first included; 1 means never retry
 * @param baseDelay ceiling of the first backoff; doubles each retry
 * @param maxDelay ceiling no backoff exceeds
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  /** 6 tries, backoff ceilings 200, 400, 800, 1,600, 3,200 ms (cap 10 s): at most 6.2 s of waiting. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10));

  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 100, got " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "delays must be non-negative with maxDelay >= baseDelay, got " + baseDelay + " and " + maxDelay);
    }
  }

  /** The same backoff with {@code maxAttempts} tries. */
  public RetryPolicy withMaxAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay);
  }

  /** The wait before try number {@code attempt + 1}, after {@code attempt} (1-based) failed. */
  public Duration backoff(int attempt, Random random) {
    long ceiling = baseDelay.toMillis() << Math.min(attempt - 1, 30);
    if (ceiling <= 0 || ceiling > maxDelay.toMillis()) {
      ceiling = maxDelay.toMillis();
    }
    return Duration.ofMillis(ceiling == 0 ? 0 : (long) (random.nextDouble() * ceiling));
  }

  /** Whether an HTTP status says "later" rather than "never": overload and unavailable gateways. */
  public static boolean retryableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }
}
