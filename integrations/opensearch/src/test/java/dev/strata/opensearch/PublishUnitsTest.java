package dev.strata.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataType;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.testing.TestSeeds;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parts of publishing that need no cluster: backoff, the manifest, scores, names. */
class PublishUnitsTest {
  @Test
  void backoffStaysUnderItsExponentialCeilingAndTheCapForAnySeed() {
    RetryPolicy policy = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(2));
    Random random = new Random(TestSeeds.seed("backoff"));
    long total = 0;
    for (int run = 0; run < 1_000; run++) {
      for (int attempt = 1; attempt < policy.maxAttempts(); attempt++) {
        long wait = policy.backoff(attempt, random).toMillis();
        long ceiling = Math.min(100L << (attempt - 1), 2_000);
        assertThat(wait).isBetween(0L, ceiling);
        total += wait;
      }
    }
    // Full jitter: on average half of each ceiling (100+200+400+800+1600+2000+2000 = 7100 ms).
    assertThat(total / 1_000.0).isBetween(7100 * 0.4, 7100 * 0.6);
    assertThat(RetryPolicy.DEFAULT.backoff(1_000, random)).isLessThanOrEqualTo(RetryPolicy.DEFAULT.maxDelay());
  }

  @Test
  void onlyOverloadAndLostConnectionsAreRetried() {
    assertThat(RetryPolicy.retryableStatus(429)).isTrue();
    assertThat(RetryPolicy.retryableStatus(503)).isTrue();
    assertThat(RetryPolicy.retryableStatus(400)).isFalse();
    assertThat(RetryPolicy.retryableStatus(500)).as("a bug or a bad request does not heal by repetition").isFalse();
    assertThat(RemoteRetrier.judge(new ConnectException("Connection refused")).retryable()).isTrue();
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts must be 1 to 100");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("maxDelay >= baseDelay");
  }

  @Test
  void aRetrierGivesUpAtItsLimitWithTheLastFailure() {
    RemoteRetrier retrier = new RemoteRetrier(new RetryPolicy(3, Duration.ZERO, Duration.ZERO), new Random(1), PublishListener.NONE);
    int[] calls = {0};
    assertThatThrownBy(() -> retrier.call("counting 'x'", () -> {
      calls[0]++;
      throw new IOException("Connection reset");
    })).isInstanceOf(PublishException.class)
        .hasMessage("counting 'x' failed 3 times, giving up (retry limit 3): no answer from the cluster: Connection reset");
    assertThat(calls[0]).isEqualTo(3);
    assertThat(retrier.retries()).isEqualTo(2);
  }

  @Test
  void theManifestReadsBackAsWritten() {
    IndexSchema schema = IndexSchema.builder(384, Similarity.DOT_PRODUCT).modelFingerprint(PublishTestData.model("m").encoded()).build();
    SnapshotInfo snapshot = new SnapshotInfo(7, 6, Instant.EPOCH, 1234, "msg", "0123456789abcdef", null);
    Map<String, MetadataType> fields = new LinkedHashMap<>();
    fields.put("lang", MetadataType.STRING);
    fields.put("year", MetadataType.NUMBER);
    PublishedMeta meta = PublishedMeta.of(snapshot, schema, fields, "docs", "2026-11-28T00:00:00Z");

    Map<String, Object> json = meta.toJson();
    assertThat(json).containsEntry("snapshotId", 7L).containsEntry("modelFingerprint", schema.modelFingerprint())
        .containsEntry("recordDigest", "0123456789abcdef").containsEntry("strataFormat", PublishedMeta.FORMAT);
    assertThat(PublishedMeta.fromJson("docs-7", json)).isEqualTo(meta);
    assertThat(meta.metadataFields()).containsEntry("lang", "string").containsEntry("year", "number");

    assertThatThrownBy(() -> PublishedMeta.fromJson("logs", Map.of("owner", "someone else")))
        .hasMessageContaining("index 'logs' was not published by Strata");
    Map<String, Object> future = new LinkedHashMap<>(json);
    future.put("strataFormat", 99);
    assertThatThrownBy(() -> PublishedMeta.fromJson("docs-7", future)).hasMessageContaining("format 99");
  }

  @Test
  void innerProductScoresComeBackOnStrataScale() {
    PublishedMeta dot = new PublishedMeta(1, null, 0, null, 2, "dot_product", "float32", 16, 100, true, "x", "t", Map.of());
    PublishedMeta cosine = new PublishedMeta(1, null, 0, null, 2, "cosine", "float32", 16, 100, false, "x", "t", Map.of());
    for (double ip : new double[] {-1, -0.5, 0, 0.3, 1}) {
      float openSearch = (float) (ip >= 0 ? 1 + ip : 1 / (1 - ip)); // Lucene's maximum inner product scaling
      assertThat(OpenSearchSearcher.strataScore(openSearch, dot)).isCloseTo((float) ((1 + ip) / 2), org.assertj.core.data.Offset.offset(1e-6f));
    }
    assertThat(OpenSearchSearcher.strataScore(0.75f, cosine)).isEqualTo(0.75f);
  }

  @Test
  void metadataFieldsOpenSearchWouldReadAsNestedObjectsAreRefusedBeforeAnythingIsCreated() {
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    Map<String, MetadataType> fields = Map.of("a", MetadataType.STRING, "a.b", MetadataType.NUMBER);
    PublishedMeta meta = PublishedMeta.of(new SnapshotInfo(2, 1, Instant.EPOCH, 0, "", null, null), schema, fields, "x", "t");
    assertThatThrownBy(() -> IndexMappings.create("x", schema, fields, meta, 1, 0))
        .isInstanceOf(PublishException.class).hasMessageContaining("'a' and 'a.b' cannot both be published");
  }

  @Test
  void optionsRefuseNonsenseAndExpandTheSnapshotPlaceholder() {
    assertThat(PublishOptions.builder("docs-{snapshot}").build().indexFor(12)).isEqualTo("docs-12");
    assertThatThrownBy(() -> PublishOptions.builder("d").batchSize(0).build()).hasMessageContaining("batch size must be 1 to 10000");
    assertThatThrownBy(() -> PublishOptions.builder("d").shards(0).build()).hasMessageContaining("shards must be 1 to 1024");
    assertThatThrownBy(() -> PublishOptions.builder(" ").build()).hasMessageContaining("index name must not be blank");
  }
}
