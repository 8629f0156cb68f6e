package dev.strata.opensearch;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataType;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.HealthStatus;
import org.opensearch.client.opensearch.indices.UpdateAliasesRequest;

/**
 * Publishes one snapshot of a Strata index to OpenSearch: a new index whose mapping matches the
 * snapshot's schema and carries its manifest, loaded with every live record, counted, and only then
 * put behind the alias in one {@code _aliases} request. Until that request succeeds the alias keeps
 * pointing where it did, so searchers never see a half-loaded index; a publish that fails deletes
 * the index it created (when the cluster still answers) and says where the alias points.
 */
public final class SnapshotPublisher {
  private static final System.Logger LOG = System.getLogger(SnapshotPublisher.class.getName());

  private final OpenSearchClient client;
  private final Random jitter;

  public SnapshotPublisher(OpenSearchConnection connection) {
    this(connection.client(), new Random());
  }

  SnapshotPublisher(OpenSearchClient client, Random jitter) {
    this.client = Objects.requireNonNull(client, "client");
    this.jitter = jitter;
  }

  /** Opens the index at {@code indexDir} read only (a writer may keep writing) and publishes. */
  public PublishReport publish(Path indexDir, PublishOptions options) {
    try (VectorIndex index = VectorIndex.open(indexDir, IndexOptions.builder().readOnly(true).refreshInterval(java.time.Duration.ZERO).build())) {
      return publish(index, options);
    }
  }

  public PublishReport publish(VectorIndex index, PublishOptions options) {
    try (SnapshotView view = options.snapshot() == null ? index.openLatestSnapshot() : index.history().open(options.snapshot())) {
      return publish(index, view, options);
    }
  }

  private PublishReport publish(VectorIndex index, SnapshotView view, PublishOptions options) {
    long start = System.nanoTime();
    RemoteRetrier retrier = new RemoteRetrier(options.retryPolicy(), jitter, options.listener());
    IndexSchema schema = view.schema();
    String name = options.indexFor(view.snapshot().id());
    String alias = options.alias();
    List<String> notes = new ArrayList<>();
    if (!IndexMappings.encodingKept(schema.encoding())) {
      notes.add("encoding " + schema.encoding().externalName() + " has no Lucene-engine counterpart in OpenSearch;"
          + " the published graph stores float32 vectors (4 bytes a dimension)");
    }
    Map<String, MetadataType> fields = index.metadataFields();
    PublishedMeta meta = PublishedMeta.of(
        view.snapshot(), schema, fields, index.path().getFileName().toString(), Instant.now().toString());

    List<String> previous = alias == null ? List.of() : checkAlias(retrier, alias, name, meta, options.allowModelChange());
    if (retrier.call("checking whether index '" + name + "' exists", () -> PublishedIndices.exists(client, name))) {
      throw new PublishException("OpenSearch index '" + name + "' already exists; publish into a new index"
          + " (a name with {snapshot} in it gets the snapshot id) and let the alias move");
    }

    retrier.call("creating index '" + name + "'", () -> client.indices().create(
        IndexMappings.create(name, schema, fields, meta, options.shards(), options.replicas())));
    long loadStart;
    long loaded;
    BulkLoader loader = new BulkLoader(client, retrier, options.listener(), options.batchSize(), options.concurrency());
    try {
      options.listener().indexCreated(name);
      waitForPrimaries(retrier, name, options.healthTimeout());
      loadStart = System.nanoTime();
      loaded = loader.load(view, name);
      retrier.call("turning refresh back on for '" + name + "'", () -> client.indices().putSettings(p -> p
          .index(name).settings(s -> s.refreshInterval(t -> t.time("1s")))));
      retrier.call("refreshing '" + name + "'", () -> client.indices().refresh(r -> r.index(name)));
      long counted = retrier.call("counting '" + name + "'", () -> client.count(c -> c.index(name)).count());
      if (counted != view.liveCount()) {
        throw new PublishException("index '" + name + "' holds " + counted + " documents after the load, but snapshot "
            + view.snapshot().id() + " has " + view.liveCount() + " live records");
      }
    } catch (RuntimeException e) {
      throw failed(e, name, alias, previous, "");
    }
    Duration loadTime = Duration.ofNanos(System.nanoTime() - loadStart);
    if (alias != null) {
      moveAlias(retrier, alias, previous, name);
    }
    LOG.log(System.Logger.Level.INFO, "published snapshot {0} of {1} as OpenSearch index {2} ({3} records){4}",
        view.snapshot().id(), index.path(), name, loaded, alias == null ? "" : ", alias " + alias + " moved from " + previous);
    return new PublishReport(name, alias, previous, view.snapshot().id(), schema.modelFingerprint(), loaded,
        loader.requests(), retrier.retries(), loadTime, Duration.ofNanos(System.nanoTime() - start), notes);
  }

  /**
   * Where the alias points now, after checking it may move: it is not a concrete index, and what
   * it points to holds vectors of the same model (unless a model change is allowed).
   */
  private List<String> checkAlias(RemoteRetrier retrier, String alias, String name, PublishedMeta meta, boolean allowModelChange) {
    if (alias.equals(name)) {
      throw new IllegalArgumentException("the alias and the new index are both called '" + alias + "'");
    }
    List<String> targets = retrier.call("reading alias '" + alias + "'", () -> PublishedIndices.aliasTargets(client, alias));
    if (targets.isEmpty()) {
      if (retrier.call("checking whether '" + alias + "' exists", () -> PublishedIndices.exists(client, alias))) {
        throw new PublishException("'" + alias + "' is an OpenSearch index, not an alias; an alias cannot take its name");
      }
      return targets;
    }
    Map<String, PublishedMeta> current;
    try {
      current = retrier.call("reading the manifest behind alias '" + alias + "'", () -> PublishedIndices.metaOf(client, alias));
    } catch (IllegalArgumentException notStrata) {
      throw new PublishException("alias '" + alias + "' points to an index Strata did not publish: " + notStrata.getMessage());
    }
    for (Map.Entry<String, PublishedMeta> e : current.entrySet()) {
      String theirs = e.getValue().modelFingerprint();
      if (!allowModelChange && !sameModel(theirs, meta.modelFingerprint())) {
        throw new EmbeddingDriftException("OpenSearch alias '" + alias + "' (index '" + e.getKey() + "')", theirs,
            meta.modelFingerprint(), "publishing snapshot " + meta.snapshotId()
            + " (allow it with --allow-model-change once every searcher of the alias uses the new model)");
      }
    }
    return targets;
  }

  private static boolean sameModel(String published, String candidate) {
    if (published == null || candidate == null) {
      return Objects.equals(published, candidate);
    }
    try {
      return ModelFingerprint.parse(candidate).matchesRecorded(published);
    } catch (IllegalArgumentException label) {
      return published.equals(candidate);
    }
  }

  private void waitForPrimaries(RemoteRetrier retrier, String name, Duration timeout) {
    var health = retrier.call("waiting for the shards of '" + name + "'", () -> client.cluster().health(h -> h
        .index(name).waitForStatus(HealthStatus.Yellow).timeout(t -> t.time(timeout.toSeconds() + "s"))));
    if (health.timedOut()) {
      throw new PublishException("the primary shards of '" + name + "' did not start within " + timeout.toSeconds()
          + " s (cluster health " + health.status() + ")");
    }
  }

  /** Removes the alias from where it points and adds it to {@code name}, in one request. */
  private void moveAlias(RemoteRetrier retrier, String alias, List<String> previous, String name) {
    UpdateAliasesRequest.Builder request = new UpdateAliasesRequest.Builder();
    for (String old : previous) {
      request.actions(a -> a.remove(r -> r.index(old).alias(alias)));
    }
    request.actions(a -> a.add(add -> add.index(name).alias(alias)));
    UpdateAliasesRequest built = request.build();
    try {
      retrier.call("moving alias '" + alias + "' to '" + name + "'", () -> client.indices().updateAliases(built));
    } catch (RuntimeException e) {
      // The request may have been applied even though its answer was lost: look before cleaning up.
      List<String> now;
      try {
        now = PublishedIndices.aliasTargets(client, alias);
      } catch (Exception unreachable) {
        throw new PublishException("moving alias '" + alias + "' to '" + name + "' failed and the cluster no longer"
            + " answers, so where the alias points is unknown; index '" + name + "' is complete and kept. Cause: "
            + e.getMessage(), e);
      }
      if (now.equals(List.of(name))) {
        return;
      }
      throw failed(e, name, alias, now, " (someone else may have changed the alias meanwhile)");
    }
  }

  /** The exception to throw after a failure past creating {@code name}: says what became of both. */
  private PublishException failed(RuntimeException cause, String name, String alias, List<String> aliasTargets, String hint) {
    String aliasState = alias == null ? "" : "; alias '" + alias + "' was not moved and still points to "
        + (aliasTargets.isEmpty() ? "nothing" : aliasTargets);
    String cleanup;
    try {
      client.indices().delete(d -> d.index(name));
      cleanup = "; the partly loaded index '" + name + "' was deleted";
    } catch (Exception e) {
      cleanup = "; the partly loaded index '" + name + "' could not be deleted (" + RemoteRetrier.judge(e).description()
          + "): delete it once the cluster answers";
    }
    return new PublishException("publish failed: " + cause.getMessage() + hint + aliasState + cleanup, cause);
  }
}
