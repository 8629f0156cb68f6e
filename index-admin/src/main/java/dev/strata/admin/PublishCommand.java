package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.opensearch.OpenSearchConnection;
import dev.strata.opensearch.PublishListener;
import dev.strata.opensearch.PublishOptions;
import dev.strata.opensearch.PublishReport;
import dev.strata.opensearch.PublishVerification;
import dev.strata.opensearch.PublishedIndexVerifier;
import dev.strata.opensearch.RetryPolicy;
import dev.strata.opensearch.SnapshotPublisher;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    header = "Publish a snapshot to an OpenSearch k-NN index behind an alias.",
    description = {
      "Publish a snapshot to OpenSearch: a new k-NN index (Lucene engine) with the",
      "snapshot's schema and its manifest in _meta, loaded in bulk with bounded",
      "retries, counted, and only then put behind --alias in one _aliases request.",
      "A failed publish leaves the alias where it was (exit 7).",
      "--verify-only compares a published index (--index, else the alias's) with",
      "the snapshot (exit 5 when they differ).",
      "Credentials: STRATA_OPENSEARCH_USER and STRATA_OPENSEARCH_PASSWORD."
    })
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--opensearch", required = true, paramLabel = "URL", description = "Cluster URL, e.g. http://localhost:9200.")
  URI url;

  @Option(names = "--index", paramLabel = "NAME",
      description = "OpenSearch index to create; {snapshot} in it becomes the snapshot id (e.g. docs-{snapshot}).")
  String index;

  @Mixin SnapshotOption snapshotOption;

  @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to move onto the new index once it is complete.")
  String alias;

  @Option(names = "--shards", defaultValue = "1", paramLabel = "N", description = "Primary shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--replicas", defaultValue = "1", paramLabel = "N", description = "Replicas of each shard (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--batch-size", defaultValue = "500", paramLabel = "N", description = "Records per bulk request (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--concurrency", defaultValue = "2", paramLabel = "N", description = "Bulk requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--max-attempts", defaultValue = "6", paramLabel = "N",
      description = "Tries per request on 429/5xx or a lost connection, backing off with jitter (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--allow-model-change",
      description = "Let the alias move to an index of another embedding model (its searchers must switch models too).")
  boolean allowModelChange;

  @Option(names = "--verify-only", description = "Create nothing: compare the published index's _meta, count and a sample with the snapshot.")
  boolean verifyOnly;

  @Option(names = "--sample", defaultValue = "100", paramLabel = "N", description = "--verify-only: records compared field by field (default: ${DEFAULT-VALUE}).")
  int sample;

  @Override
  public Integer call() {
    RetryPolicy retries = RetryPolicy.DEFAULT.withMaxAttempts(maxAttempts);
    try (OpenSearchConnection connection = OpenSearchConnection.connect(
        url, System.getenv("STRATA_OPENSEARCH_USER"), System.getenv("STRATA_OPENSEARCH_PASSWORD"))) {
      return verifyOnly ? verify(connection, retries) : publish(connection, retries);
    }
  }

  private int publish(OpenSearchConnection connection, RetryPolicy retries) {
    if (index == null) {
      throw new IllegalArgumentException("publish needs --index NAME (the new OpenSearch index)");
    }
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar progress = new ProgressBar(err, "publishing", "published", "records", 0);
    PublishListener listener = new PublishListener() {
      @Override
      public synchronized void loaded(long done, long total) {
        progress.update(done, total);
      }

      @Override
      public synchronized void retrying(String what, int attempt, Duration backoff, String failure) {
        err.printf(Locale.ROOT, "%nwarning: %s: attempt %d failed (%s); retrying in %d ms%n", what, attempt, failure, backoff.toMillis());
      }
    };
    PublishOptions options = PublishOptions.builder(index).alias(alias).snapshot(snapshotOption.snapshot).shards(shards).replicas(replicas)
        .batchSize(batchSize).concurrency(concurrency).retryPolicy(retries).allowModelChange(allowModelChange).listener(listener).build();
    PublishReport report = new SnapshotPublisher(connection).publish(dir.path, options);
    progress.done("to " + report.index());
    print(report);
    return ExitCodes.OK;
  }

  private int verify(OpenSearchConnection connection, RetryPolicy retries) {
    PublishVerification result;
    try (VectorIndex local = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions());
        SnapshotView view = snapshotOption.snapshot == null ? local.openLatestSnapshot() : local.history().open(snapshotOption.snapshot)) {
      String target = index != null ? PublishOptions.indexName(index, view.snapshot().id()) : alias;
      if (target == null) {
        throw new IllegalArgumentException("--verify-only needs --index NAME or --alias ALIAS to know what to compare");
      }
      result = new PublishedIndexVerifier(connection, retries).verify(view, target, sample, view.snapshot().id());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("sound", result.sound());
      doc.put("index", result.index());
      doc.put("snapshot", result.snapshotId());
      doc.put("checks", result.checks().stream().map(c -> Json.check(c.name(), c.passed(), c.detail())).toList());
      Json.print(out, doc);
    } else {
      out.printf("index %s against snapshot %d: %s%n", result.index(), result.snapshotId(), result.sound() ? "identical" : "DIFFERENT");
      for (PublishVerification.Check c : result.checks()) {
        out.printf("  %-4s %-9s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
      }
    }
    return result.sound() ? ExitCodes.OK : ExitCodes.CORRUPT;
  }

  private void print(PublishReport r) {
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("index", r.index());
      doc.put("alias", r.alias());
      doc.put("previousIndices", r.previousIndices());
      doc.put("snapshot", r.snapshotId());
      doc.put("modelFingerprint", r.modelFingerprint());
      doc.put("records", r.records());
      doc.put("requests", r.requests());
      doc.put("retries", r.retries());
      doc.put("loadSeconds", r.loadTime().toNanos() / 1e9);
      doc.put("seconds", r.totalTime().toNanos() / 1e9);
      doc.put("recordsPerSecond", r.recordsPerSecond());
      doc.put("notes", r.notes());
      Json.print(out, doc);
      return;
    }
    out.printf(Locale.ROOT, "published snapshot %d as %s: %d records in %.1f s (%.0f records/s), %d bulk requests, %d retries%n",
        r.snapshotId(), r.index(), r.records(), r.loadTime().toNanos() / 1e9, r.recordsPerSecond(), r.requests(), r.retries());
    if (r.alias() != null) {
      out.printf("alias %s -> %s (was %s)%n", r.alias(), r.index(), r.previousIndices().isEmpty() ? "not set" : String.join(", ", r.previousIndices()));
    }
    r.notes().forEach(note -> out.println("note: " + note));
  }
}
