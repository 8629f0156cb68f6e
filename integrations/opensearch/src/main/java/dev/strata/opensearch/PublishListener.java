package dev.strata.opensearch;

import java.time.Duration;

/**
 * Told how a publish goes. {@link #loaded} and {@link #retrying} may be called from the loader's
 * threads, one at a time per batch but batches at once; every method has a no-op default.
 */
public interface PublishListener {
  PublishListener NONE = new PublishListener() {};

  /** The new, still empty index exists; nothing points at it yet. */
  default void indexCreated(String index) {}

  /** {@code done} of {@code total} records are acknowledged by the cluster. */
  default void loaded(long done, long total) {}

  /** A request failed in a way worth retrying; the publisher waits {@code backoff} and tries again. */
  default void retrying(String what, int attempt, Duration backoff, String failure) {}
}
