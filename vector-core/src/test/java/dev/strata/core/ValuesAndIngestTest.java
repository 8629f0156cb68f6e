package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration values (builders in, values out) and the library's ingest with per-record rejects. */
class ValuesAndIngestTest {
  @TempDir Path dir;

  private static IndexSchema schema() {
    return IndexSchema.builder(3, Similarity.EUCLIDEAN).build();
  }

  @Test
  void searchRequestsWithEqualVectorsAreEqual() {
    SearchRequest a = SearchRequest.builder(new float[] {1, 2, 3}).k(5).filter(MetadataFilter.term("t", "x")).build();
    SearchRequest b = SearchRequest.builder(new float[] {1, 2, 3}).k(5).filter(MetadataFilter.term("t", "x")).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(SearchRequest.builder(new float[] {1, 2, 4}).k(5).filter(MetadataFilter.term("t", "x")).build());
    assertThat(a.toBuilder().k(6).build()).isNotEqualTo(a);
    assertThat(a.toBuilder().build()).isEqualTo(a);
    float[] given = {1, 0, 0};
    SearchRequest copied = SearchRequest.builder(given).build();
    given[0] = 9;
    assertThat(copied.vector()).as("the request keeps its own copy").containsExactly(1, 0, 0);
  }

  @Test
  void optionsAreBuiltChangedAndComparedAsValues() {
    IndexOptions readOnly = IndexOptions.builder().readOnly(true).maxTextBytes(10).build();
    IndexOptions same = IndexOptions.DEFAULTS.toBuilder().maxTextBytes(10).readOnly(true).build();
    assertThat(readOnly).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(readOnly.toBuilder().readOnly(false).build().readOnly()).isFalse();
    assertThat(IndexOptions.builder().build()).isEqualTo(IndexOptions.DEFAULTS);
    assertThatThrownBy(() -> IndexOptions.builder().ramBufferMb(0).build())
        .hasMessage("ramBufferMb must be in [1, 2048], got 0.0");
  }

  @Test
  void snapshotsAreStampedByTheInjectedClock() {
    Instant fixed = Instant.parse("2030-01-02T03:04:05Z");
    IndexOptions options = IndexOptions.builder().clock(Clock.fixed(fixed, ZoneOffset.UTC)).build();
    try (VectorIndex index = VectorIndex.create(dir.resolve("clocked"), schema(), options)) {
      index.upsert(Record.of("a", new float[] {1, 2, 3}));
      assertThat(index.commit("at a fixed time").createdAt()).isEqualTo(fixed);
      assertThat(index.history().list().getFirst().info().createdAt()).as("the first snapshot too").isEqualTo(fixed);
    }
  }

  @Test
  void ingestBuffersTheGoodRecordsAndReportsEachBadOne() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("ingest"), schema())) {
      List<Record> batch = List.of(
          Record.of("good-1", new float[] {1, 2, 3}),
          Record.of("short", new float[] {1, 2}),
          new Record("good-2", new float[] {4, 5, 6}, null, Map.of("n", 1)),
          new Record("typed-wrong", new float[] {4, 5, 6}, null, Map.of("n", "one")), // n is a number now
          Record.of("nan", new float[] {Float.NaN, 0, 0}));
      List<String> rejected = new ArrayList<>();
      IngestReport report = index.ingest(batch, VectorSource.UNSTATED,
          (position, record, reason) -> rejected.add(position + ":" + record.id() + ":" + reason.rule()));
      assertThat(report).isEqualTo(new IngestReport(2, 3));
      assertThat(rejected).containsExactly(
          "1:short:" + ValidationRule.DIMENSION_MISMATCH,
          "3:typed-wrong:" + ValidationRule.METADATA_TYPE_CONFLICT,
          "4:nan:" + ValidationRule.NON_FINITE_VALUE);
      index.commit("two of five");
      assertThat(index.stats().docs()).isEqualTo(2);
      assertThat(index.contains("good-2")).isTrue();
      assertThat(index.counters().rejectedWrites()).as("each reject counted").isEqualTo(3);
    }
  }

  @Test
  void upsertAllStillRefusesTheWholeBatchForOneBadRecord() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("all-or-nothing"), schema())) {
      assertThatThrownBy(() -> index.upsertAll(List.of(Record.of("ok", new float[] {1, 2, 3}), Record.of("bad", new float[] {1}))))
          .isInstanceOf(RecordValidationException.class);
      index.commit("nothing");
      assertThat(index.stats().docs()).isZero();
    }
  }
}
