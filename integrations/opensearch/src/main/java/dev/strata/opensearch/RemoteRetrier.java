package dev.strata.opensearch;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * Runs requests to the cluster under one {@link RetryPolicy}: retries what the cluster or the
 * network said to try later, gives up on everything else at once, and counts every retry.
 */
final class RemoteRetrier {
  /** One request; throws what the client throws. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException;
  }

  /** A request's failure as the retrier judged it. */
  record Failure(int status, String description, boolean retryable) {}

  private final RetryPolicy policy;
  private final Random jitter;
  private final PublishListener listener;
  private final AtomicInteger retries = new AtomicInteger();

  RemoteRetrier(RetryPolicy policy, Random jitter, PublishListener listener) {
    this.policy = policy;
    this.jitter = jitter;
    this.listener = listener;
  }

  int retries() {
    return retries.get();
  }

  /**
   * Runs {@code call} until it succeeds, fails for good, or has been tried {@code maxAttempts}
   * times; the last two throw {@link PublishException} with {@code what} and the last failure.
   */
  <T> T call(String what, Call<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException | OpenSearchException e) {
        afterFailure(what, attempt, judge(e));
      }
    }
  }

  /**
   * After try {@code attempt} of {@code what} failed: throws {@link PublishException} when the
   * failure is final or the retry limit is reached, else waits out the backoff.
   */
  void afterFailure(String what, int attempt, Failure failure) {
    if (!failure.retryable()) {
      throw new PublishException(what + " failed: " + failure.description());
    }
    if (attempt >= policy.maxAttempts()) {
      throw new PublishException(
          what + " failed " + attempt + " times, giving up (retry limit " + policy.maxAttempts() + "): " + failure.description());
    }
    backOff(what, attempt, failure.description());
  }


  /** Waits before try {@code attempt + 1}, telling the listener and counting the retry. */
  private void backOff(String what, int attempt, String failure) {
    Duration wait = policy.backoff(attempt, jitter);
    retries.incrementAndGet();
    listener.retrying(what, attempt, wait, failure);
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(what + " interrupted while backing off after: " + failure);
    }
  }

  static Failure judge(Exception e) {
    int status = statusOf(e);
    if (status > 0) {
      return new Failure(status, "HTTP " + status + " " + describe(e), RetryPolicy.retryableStatus(status));
    }
    // No HTTP status: the connection was refused, reset or timed out. The node may be restarting.
    return new Failure(-1, "no answer from the cluster: " + describe(e), true);
  }

  static int statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OpenSearchException os) {
        return os.status();
      }
      if (t instanceof ResponseException re) {
        return re.status();
      }
    }
    return -1;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    } else if (e.getCause() != null && e instanceof IOException && !(e instanceof ResponseException)) {
      message = e.getClass().getSimpleName() + ": " + message;
    }
    return message.length() > 500 ? message.substring(0, 500) + "..." : message;
  }
}
