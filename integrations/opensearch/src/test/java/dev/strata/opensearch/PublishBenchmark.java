package dev.strata.opensearch;

import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publish throughput against local ingest of the same records, on one machine in one run (bin/bench
 * publish): N seeded clustered vectors of D dimensions with a short text and two metadata fields,
 * ingested into a local index (batches of 1,000, then a commit: HNSW graphs built), then published
 * to a single-node OpenSearch started here (the test node: 1 GiB heap, 0 replicas). Prints one JSON
 * line. Arguments (a later one wins): {@code n=100000 dim=384 batch=500 concurrency=2}.
 */
public final class PublishBenchmark {
  private PublishBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.HashMap<>(Map.of("n", "100000", "dim", "384", "batch", "500", "concurrency", "2"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      options.put(kv[0], kv[1]);
    }
    int n = Integer.parseInt(options.get("n"));
    int dim = Integer.parseInt(options.get("dim"));
    int batch = Integer.parseInt(options.get("batch"));
    int concurrency = Integer.parseInt(options.get("concurrency"));
    ModelFingerprint model = PublishTestData.model("bench-model");
    float[][] vectors = ClusteredVectors.normalizeAll(ClusteredVectors.generate(42, n, dim, 100));

    Path dir = Files.createTempDirectory("strata-publish-bench-");
    try (OpenSearchTestNode node = OpenSearchTestNode.start();
        OpenSearchConnection connection = OpenSearchConnection.connect(node.uri())) {
      long start = System.nanoTime();
      try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(dim, Similarity.COSINE)
          .modelFingerprint(model.encoded()).build())) {
        for (int from = 0; from < n; from += 1_000) {
          List<Record> records = new ArrayList<>(1_000);
          for (int i = from; i < Math.min(n, from + 1_000); i++) {
            records.add(new Record("doc-" + i, vectors[i], "passage " + i, Map.of("group", "g" + (i % 10), "rank", i)));
          }
          index.upsertAll(records, VectorSource.model(model));
        }
        index.commit("bench");
        double ingestSeconds = (System.nanoTime() - start) / 1e9;

        PublishReport report = new SnapshotPublisher(connection).publish(index,
            PublishOptions.builder("bench-{snapshot}").alias("bench").replicas(0).batchSize(batch).concurrency(concurrency).build());
        double publishSeconds = report.loadTime().toNanos() / 1e9;
        System.out.printf(Locale.ROOT,
            "{\"n\":%d,\"dim\":%d,\"batch\":%d,\"concurrency\":%d,\"localIngestSeconds\":%.1f,\"localRecordsPerSecond\":%.0f,"
                + "\"publishLoadSeconds\":%.1f,\"publishTotalSeconds\":%.1f,\"publishRecordsPerSecond\":%.0f,"
                + "\"requests\":%d,\"retries\":%d,\"publishToIngestRate\":%.2f}%n",
            n, dim, batch, concurrency, ingestSeconds, n / ingestSeconds, publishSeconds, report.totalTime().toNanos() / 1e9,
            report.recordsPerSecond(), report.requests(), report.retries(), report.recordsPerSecond() / (n / ingestSeconds));
      }
    } finally {
      OpenSearchTestNode.deleteTree(dir);
    }
  }
}
