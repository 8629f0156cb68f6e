package dev.strata.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

/** Publishing snapshots to a real OpenSearch node, searching them, and failing safely. */
@ExtendWith(OpenSearchNodeExtension.class)
class OpenSearchPublishTest {
  private static final ModelFingerprint MODEL = PublishTestData.model("test-model-a");
  private static final ModelFingerprint OTHER_MODEL = PublishTestData.model("test-model-b");
  private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(400));

  private static OpenSearchConnection connection;
  private static OpenSearchClient client;

  @BeforeAll
  static void connect(OpenSearchTestNode node) {
    connection = OpenSearchConnection.connect(node.uri());
    client = connection.client();
  }

  @AfterAll
  static void disconnect() {
    if (connection != null) {
      connection.close();
    }
  }

  @Test
  void publishedIndexAnswersLikeTheLocalSnapshot(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-search");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 3_000)) {
      PublishReport report = new SnapshotPublisher(connection).publish(index,
          PublishOptions.builder("search-{snapshot}").alias("search").replicas(0).batchSize(700).build());

      long snapshot = index.latestSnapshot().id();
      assertThat(report.index()).isEqualTo("search-" + snapshot);
      assertThat(report.records()).isEqualTo(3_000);
      assertThat(report.requests()).isEqualTo(5); // 700 x 4 + 200
      assertThat(report.previousIndices()).isEmpty();
      assertThat(PublishedIndices.aliasTargets(client, "search")).containsExactly(report.index());

      Map<String, Object> mapping = mappingOf(report.index());
      assertThat(mapping).extracting("_meta").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("modelFingerprint", MODEL.encoded())
          .containsEntry("snapshotId", snapshot)
          .containsEntry("recordDigest", index.latestSnapshot().recordDigest());
      assertThat(mapping).extracting("properties.vector.method.engine", "properties.vector.method.space_type",
              "properties.vector.method.parameters.m", "properties.vector.method.parameters.ef_construction",
              "properties.metadata.properties.group.type", "properties.metadata.properties.rank.type",
              "properties.text.store")
          .containsExactly("lucene", "cosinesimil", 16L, 100L, "keyword", "double", true);

      OpenSearchSearcher searcher = OpenSearchSearcher.open(connection, "search", MODEL);
      float[][] queries = ClusteredVectors.generate(seed ^ 0x5EED, 100, PublishTestData.DIMENSION, 20);
      double overlap = 0;
      for (float[] query : queries) {
        SearchResult local = index.search(SearchRequest.builder(query).k(10).ef(100).source(VectorSource.model(MODEL)).build());
        PublishedSearchResult remote = searcher.search(query, 10, 100);
        assertThat(remote.index()).isEqualTo(report.index());
        assertThat(remote.snapshotId()).isEqualTo(snapshot);
        Set<String> localIds = ids(local.hits());
        overlap += remote.hits().stream().filter(h -> localIds.contains(h.id())).count() / 10.0;
        Hit top = remote.hits().get(0);
        if (top.id().equals(local.hits().get(0).id())) {
          assertThat(top.score()).isCloseTo(local.hits().get(0).score(), org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(top.text()).isEqualTo(index.get(top.id()).orElseThrow().text());
        assertThat(top.metadata().get("group")).isEqualTo(index.get(top.id()).orElseThrow().metadata().get("group"));
      }
      assertThat(overlap / queries.length).as("mean top-10 overlap with the local snapshot").isGreaterThanOrEqualTo(0.95);

      try (SnapshotView view = index.openLatestSnapshot()) {
        PublishVerification verification = new PublishedIndexVerifier(connection, QUICK_RETRIES).verify(view, "search", 200, seed);
        assertThat(verification.sound()).as(verification.toString()).isTrue();
        assertThat(verification.checks()).extracting(PublishVerification.Check::name).containsExactly("manifest", "count", "sample");
      }
    }
  }

  @Test
  void everySimilarityScoresAsLocallyAndEncodingsMapOrSayTheyCannot(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-similarities");
    record Case(Similarity similarity, VectorEncoding encoding, boolean normalize, String spaceType) {}
    List<Case> cases = List.of(
        new Case(Similarity.DOT_PRODUCT, VectorEncoding.INT8, true, "innerproduct"),
        new Case(Similarity.EUCLIDEAN, VectorEncoding.FLOAT32, false, "l2"),
        new Case(Similarity.MAX_INNER_PRODUCT, VectorEncoding.INT4, false, "innerproduct"));
    float[][] vectors = ClusteredVectors.generate(seed, 400, PublishTestData.DIMENSION, 10);
    float[][] queries = ClusteredVectors.generate(seed + 1, 20, PublishTestData.DIMENSION, 10);
    for (Case c : cases) {
      String name = c.similarity().externalName().replace('_', '-');
      IndexSchema schema = IndexSchema.builder(PublishTestData.DIMENSION, c.similarity()).encoding(c.encoding())
          .normalize(c.normalize()).modelFingerprint(MODEL.encoded()).build();
      try (VectorIndex index = VectorIndex.create(dir.resolve(name), schema)) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
          records.add(Record.of("v" + i, vectors[i]));
        }
        index.upsertAll(records, VectorSource.model(MODEL));
        index.commit("vectors");
        PublishReport report = new SnapshotPublisher(connection).publish(index,
            PublishOptions.builder(name + "-{snapshot}").alias(name).replicas(0).build());
        assertThat(mappingOf(report.index())).extracting("properties.vector.method.space_type").isEqualTo(c.spaceType());
        if (c.encoding() == VectorEncoding.INT8) {
          assertThat(mappingOf(report.index())).extracting("properties.vector.method.parameters.encoder.name").isEqualTo("sq");
        }
        assertThat(report.notes()).as(c.toString()).hasSize(c.encoding() == VectorEncoding.INT4 ? 1 : 0);

        OpenSearchSearcher searcher = OpenSearchSearcher.open(connection, name, MODEL);
        int sameTop = 0;
        for (float[] query : queries) {
          Hit local = index.search(SearchRequest.builder(query).k(1).exact(true).source(VectorSource.model(MODEL)).build()).hits().get(0);
          Hit remote = searcher.search(query, 1, 100).hits().get(0);
          if (remote.id().equals(local.id())) {
            sameTop++;
            // OpenSearch scores int8 from its quantized 32-d vectors (errors up to ~0.05 seen) against
            // an exact float32 reference; a wrong scale would be off by 0.3 or more (1 + ip against
            // (1 + ip) / 2), so 0.15 still tells scale from quantization noise.
            float tolerance = c.encoding() == VectorEncoding.INT8 ? 0.15f : 1e-4f;
            assertThat(remote.score()).as(c + " " + local.id()).isCloseTo(local.score(), org.assertj.core.data.Offset.offset(tolerance));
          }
        }
        // The nearest record must mostly agree (chance is about 1 in 20 for a broken mapping); int8
        // loses some top-1 agreement with the exact float32 reference to quantization alone (15 of
        // 20 seen), so its bar is lower. The score check above is what pins the space type.
        assertThat(sameTop).as(c.toString()).isGreaterThanOrEqualTo(c.encoding() == VectorEncoding.INT8 ? 10 : 18);
      }
    }
  }

  @Test
  void verifyFindsAPublishedIndexThatDrifted(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-verify");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 400)) {
      PublishReport report = new SnapshotPublisher(connection).publish(index,
          PublishOptions.builder("drifted-{snapshot}").replicas(0).build());
      client.delete(d -> d.index(report.index()).id("doc-7").refresh(org.opensearch.client.opensearch._types.Refresh.True));
      try (SnapshotView view = index.openLatestSnapshot()) {
        PublishVerification verification = new PublishedIndexVerifier(connection, QUICK_RETRIES).verify(view, report.index(), 400, seed);
        assertThat(verification.sound()).isFalse();
        assertThat(verification.checks().get(0).passed()).isTrue(); // the manifest cannot know
        assertThat(verification.checks().get(1).detail()).contains("399 documents").contains("400 live records");
        assertThat(verification.checks().get(2).detail()).contains("399 of 400").contains("'doc-7' is missing");
      }
    }
  }

  @Test
  void republishingMovesTheAliasWithoutAFailedQuery(@TempDir Path dir) throws Exception {
    long seed = TestSeeds.seed("publish-swap");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 1_000)) {
      SnapshotPublisher publisher = new SnapshotPublisher(connection);
      PublishOptions options = PublishOptions.builder("swap-{snapshot}").alias("swap").replicas(0).build();
      PublishReport first = publisher.publish(index, options);
      PublishTestData.add(index, MODEL, seed, 1_000, 500);

      OpenSearchSearcher searcher = OpenSearchSearcher.open(connection, "swap", MODEL);
      float[][] queries = ClusteredVectors.generate(seed ^ 0xA11A5, 50, PublishTestData.DIMENSION, 20);
      List<String> answeredBy = new CopyOnWriteArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean published = new AtomicBoolean();
      AtomicInteger afterSwap = new AtomicInteger();
      Thread reader = new Thread(() -> {
        for (int i = 0; afterSwap.get() < 50 && failures.isEmpty(); i++) {
          try {
            PublishedSearchResult result = searcher.search(queries[i % queries.length], 10, 0);
            answeredBy.add(result.index());
            assertThat(result.hits()).hasSize(10);
            if (published.get()) {
              afterSwap.incrementAndGet();
            }
          } catch (Throwable t) {
            failures.add(t);
          }
        }
      });
      reader.start();
      PublishReport second = publisher.publish(index, options);
      published.set(true);
      reader.join(Duration.ofSeconds(60));

      assertThat(failures).isEmpty();
      assertThat(second.previousIndices()).containsExactly(first.index());
      assertThat(PublishedIndices.aliasTargets(client, "swap")).containsExactly(second.index());
      assertThat(answeredBy).contains(first.index(), second.index());
      int firstNew = answeredBy.indexOf(second.index());
      assertThat(answeredBy.subList(firstNew, answeredBy.size())).as("never back to the old index").containsOnly(second.index());
      assertThat(answeredBy.get(answeredBy.size() - 1)).isEqualTo(second.index());
      assertThat(PublishedIndices.exists(client, first.index())).as("the old index is kept for a rollback").isTrue();
    }
  }

  @Test
  void anotherModelIsRefusedBySearchersAndByPublish(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-model");
    try (VectorIndex a = PublishTestData.create(dir.resolve("a"), MODEL, seed, 300);
        VectorIndex b = PublishTestData.create(dir.resolve("b"), OTHER_MODEL, seed, 300)) {
      SnapshotPublisher publisher = new SnapshotPublisher(connection);
      PublishReport published = publisher.publish(a, PublishOptions.builder("model-a-{snapshot}").alias("models").replicas(0).build());

      assertThatThrownBy(() -> OpenSearchSearcher.open(connection, "models", OTHER_MODEL))
          .isInstanceOf(EmbeddingDriftException.class)
          .hasMessageContaining("test-model-a").hasMessageContaining("test-model-b");

      assertThatThrownBy(() -> publisher.publish(b, PublishOptions.builder("model-b-{snapshot}").alias("models").replicas(0).build()))
          .isInstanceOf(EmbeddingDriftException.class)
          .hasMessageContaining("--allow-model-change");
      assertThat(PublishedIndices.exists(client, "model-b-" + b.latestSnapshot().id())).as("refused before creating").isFalse();
      assertThat(PublishedIndices.aliasTargets(client, "models")).containsExactly(published.index());

      // A searcher checked before a deliberate model change refuses the new index's first answer.
      OpenSearchSearcher oldModelSearcher = OpenSearchSearcher.open(connection, "models", MODEL);
      float[] query = ClusteredVectors.generate(seed, 1, PublishTestData.DIMENSION, 20)[0];
      assertThat(oldModelSearcher.search(query, 5, 0).hits()).hasSize(5);
      publisher.publish(b, PublishOptions.builder("model-b-{snapshot}").alias("models").replicas(0).allowModelChange(true).build());
      assertThatThrownBy(() -> oldModelSearcher.search(query, 5, 0))
          .isInstanceOf(EmbeddingDriftException.class)
          .hasMessageContaining("model-b-");
      assertThat(OpenSearchSearcher.open(connection, "models", OTHER_MODEL).search(query, 5, 0).hits()).hasSize(5);
    }
  }

  @Test
  void anOverloadedClusterIsRetriedABoundedNumberOfTimes(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-429");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 600)) {
      SnapshotPublisher publisher = new SnapshotPublisher(connection);
      PublishReport first = publisher.publish(index, PublishOptions.builder("busy-{snapshot}").alias("busy").replicas(0).build());
      PublishTestData.add(index, MODEL, seed, 600, 100);
      String next = "busy-" + index.latestSnapshot().id();

      // The real node answers 429 to every write into an index blocked as a full disk blocks it.
      List<String> retries = new CopyOnWriteArrayList<>();
      PublishListener blockWrites = new PublishListener() {
        @Override
        public void indexCreated(String created) {
          setWriteBlock(created, true);
        }

        @Override
        public void retrying(String what, int attempt, Duration backoff, String failure) {
          retries.add(failure);
        }
      };
      assertThatThrownBy(() -> publisher.publish(index, PublishOptions.builder("busy-{snapshot}").alias("busy").replicas(0)
              .concurrency(1).retryPolicy(QUICK_RETRIES).listener(blockWrites).build()))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("failed 4 times, giving up (retry limit 4)")
          .hasMessageContaining("429")
          .hasMessageContaining("alias 'busy' was not moved and still points to [" + first.index() + "]")
          .hasMessageContaining("'" + next + "' was deleted");
      assertThat(retries).as("one batch in flight, 4 attempts").hasSize(3);
      assertThat(PublishedIndices.aliasTargets(client, "busy")).containsExactly(first.index());
      assertThat(PublishedIndices.exists(client, next)).isFalse();

      // Pressure that lifts within the retry budget costs retries, not the publish.
      PublishListener blockOnce = new PublishListener() {
        @Override
        public void indexCreated(String created) {
          setWriteBlock(created, true);
        }

        @Override
        public void retrying(String what, int attempt, Duration backoff, String failure) {
          setWriteBlock(next, false);
        }
      };
      PublishReport recovered = publisher.publish(index, PublishOptions.builder("busy-{snapshot}").alias("busy").replicas(0)
          .concurrency(1).retryPolicy(QUICK_RETRIES).listener(blockOnce).build());
      assertThat(recovered.retries()).isEqualTo(1);
      assertThat(recovered.records()).isEqualTo(700);
      assertThat(PublishedIndices.aliasTargets(client, "busy")).containsExactly(next);
    }
  }

  @Test
  void aNodeDyingMidLoadLeavesTheAliasWhereItWas(@TempDir Path dir, OpenSearchTestNode node) throws IOException {
    long seed = TestSeeds.seed("publish-dies");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 500);
        DyingProxy proxy = new DyingProxy(node.uri());
        OpenSearchConnection throughProxy = OpenSearchConnection.connect(proxy.uri())) {
      SnapshotPublisher direct = new SnapshotPublisher(connection);
      PublishReport first = direct.publish(index, PublishOptions.builder("dies-{snapshot}").alias("dies").replicas(0).build());
      PublishTestData.add(index, MODEL, seed, 500, 1_000);
      String next = "dies-" + index.latestSnapshot().id();

      PublishListener killAfterFirstBatch = new PublishListener() {
        @Override
        public void loaded(long done, long total) {
          proxy.die();
        }
      };
      long start = System.nanoTime();
      assertThatThrownBy(() -> new SnapshotPublisher(throughProxy).publish(index, PublishOptions.builder("dies-{snapshot}")
              .alias("dies").replicas(0).batchSize(200).retryPolicy(QUICK_RETRIES).listener(killAfterFirstBatch).build()))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("bulk load of 200 records from 'doc-")
          .hasMessageContaining(" of 1500) into '" + next + "'")
          .hasMessageContaining("failed 4 times")
          .hasMessageContaining("no answer from the cluster")
          .hasMessageContaining("alias 'dies' was not moved and still points to [" + first.index() + "]")
          .hasMessageContaining("'" + next + "' could not be deleted");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the retry policy").isLessThan(Duration.ofSeconds(30));

      assertThat(PublishedIndices.aliasTargets(client, "dies")).containsExactly(first.index());
      assertThat(client.count(c -> c.index("dies")).count()).isEqualTo(500);
      client.indices().delete(d -> d.index(next)); // what the message tells the operator to do
    }
  }

  @Test
  void aTakenIndexNameOrAnIndexNamedLikeTheAliasIsRefused(@TempDir Path dir) throws IOException {
    long seed = TestSeeds.seed("publish-names");
    try (VectorIndex index = PublishTestData.create(dir.resolve("idx"), MODEL, seed, 50)) {
      SnapshotPublisher publisher = new SnapshotPublisher(connection);
      PublishReport first = publisher.publish(index, PublishOptions.builder("taken").replicas(0).build());
      assertThatThrownBy(() -> publisher.publish(index, PublishOptions.builder("taken").replicas(0).build()))
          .isInstanceOf(PublishException.class).hasMessageContaining("'taken' already exists");
      assertThatThrownBy(() -> publisher.publish(index, PublishOptions.builder("other").alias("taken").replicas(0).build()))
          .isInstanceOf(PublishException.class).hasMessageContaining("'taken' is an OpenSearch index, not an alias");
      assertThat(PublishedIndices.exists(client, "other")).isFalse();
      assertThat(client.count(c -> c.index(first.index())).count()).isEqualTo(50);
    }
  }

  private static void setWriteBlock(String index, boolean blocked) {
    try {
      // Nested under "index": OpenSearch lets a blocked index drop its block only when the request
      // names the setting by its full key, and it checks before it adds the "index." prefix.
      client.indices().putSettings(p -> p.index(index).settings(s -> s.index(i -> i.blocksReadOnlyAllowDelete(blocked))));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mappingOf(String index) throws IOException {
    var record = client.indices().getMapping(g -> g.index(index)).result().get(index);
    return (Map<String, Object>) JsonValues.toJava(org.opensearch.client.json.JsonData.of(record.mappings())
        .toJson(connection.client()._transport().jsonpMapper()));
  }

  private static Set<String> ids(List<Hit> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(h -> ids.add(h.id()));
    return ids;
  }
}
