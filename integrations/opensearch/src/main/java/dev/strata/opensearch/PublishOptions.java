package dev.strata.opensearch;

import java.time.Duration;
import java.util.Objects;

/**
 * What to publish and where. Build with {@link #builder(String)}.
 *
 * @param index the new OpenSearch index; {@code {snapshot}} in the name is replaced by the snapshot
 *     id, so {@code docs-{snapshot}} gives every publish its own index
 * @param alias the alias to move onto the new index once it is loaded and counted, or null
 * @param snapshot the snapshot id or tag to publish, or null for the latest
 * @param allowModelChange whether the alias may move to an index built with another model than the
 *     one it points to now; off, such a publish is refused before anything is created, since every
 *     searcher of the alias would then start refusing queries
 */
public record PublishOptions(
    String index,
    String alias,
    String snapshot,
    int shards,
    int replicas,
    int batchSize,
    int concurrency,
    RetryPolicy retryPolicy,
    Duration healthTimeout,
    boolean allowModelChange,
    PublishListener listener) {

  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int MAX_BATCH_SIZE = 10_000;
  public static final int DEFAULT_CONCURRENCY = 2;

  public PublishOptions {
    Objects.requireNonNull(index, "index");
    if (index.isBlank()) {
      throw new IllegalArgumentException("index name must not be blank");
    }
    if (alias != null && alias.isBlank()) {
      throw new IllegalArgumentException("alias must be null or non-blank");
    }
    if (shards < 1 || shards > 1024) {
      throw new IllegalArgumentException("shards must be 1 to 1024, got " + shards);
    }
    if (replicas < 0 || replicas > 32) {
      throw new IllegalArgumentException("replicas must be 0 to 32, got " + replicas);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batch size must be 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
    }
    if (concurrency < 1 || concurrency > 16) {
      throw new IllegalArgumentException("concurrency must be 1 to 16, got " + concurrency);
    }
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(healthTimeout, "healthTimeout");
    Objects.requireNonNull(listener, "listener");
  }

  public static Builder builder(String index) {
    return new Builder(index);
  }

  /** The index name with {@code {snapshot}} replaced. */
  String indexFor(long snapshotId) {
    return indexName(index, snapshotId);
  }

  /** {@code pattern} with {@code {snapshot}} replaced by {@code snapshotId}: the index a publish makes. */
  public static String indexName(String pattern, long snapshotId) {
    return pattern.replace("{snapshot}", Long.toString(snapshotId));
  }

  /** Collects publish options for one target index name pattern. */
  public static final class Builder {
    private final String index;
    private String alias;
    private String snapshot;
    private int shards = 1;
    private int replicas = 1;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int concurrency = DEFAULT_CONCURRENCY;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Duration healthTimeout = Duration.ofSeconds(60);
    private boolean allowModelChange;
    private PublishListener listener = PublishListener.NONE;

    private Builder(String index) {
      this.index = index;
    }

    public Builder alias(String alias) {
      this.alias = alias;
      return this;
    }

    public Builder snapshot(String idOrTag) {
      this.snapshot = idOrTag;
      return this;
    }

    public Builder shards(int shards) {
      this.shards = shards;
      return this;
    }

    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Bulk requests in flight at once (default 2: the cluster indexes one while the next is encoded). */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** How long to wait for the new index's primary shards to start (default 60 s). */
    public Builder healthTimeout(Duration healthTimeout) {
      this.healthTimeout = healthTimeout;
      return this;
    }

    public Builder allowModelChange(boolean allow) {
      this.allowModelChange = allow;
      return this;
    }

    public Builder listener(PublishListener listener) {
      this.listener = listener;
      return this;
    }

    public PublishOptions build() {
      return new PublishOptions(
          index, alias, snapshot, shards, replicas, batchSize, concurrency, retryPolicy, healthTimeout, allowModelChange, listener);
    }
  }
}
