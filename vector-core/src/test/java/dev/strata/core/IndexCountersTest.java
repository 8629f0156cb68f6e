package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionReport;
import dev.strata.core.compaction.Compactor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifetime counters are written into each commit, survive a reopen, and keep counting across a rollback. */
class IndexCountersTest {
  @TempDir Path dir;

  @Test
  void countersPersistAcrossReopenAndDoNotGoBackOnRollback() {
    Path path = dir.resolve("idx");
    IndexSchema schema = IndexSchema.builder(2, Similarity.COSINE).build();
    try (VectorIndex index = VectorIndex.create(path, schema)) {
      assertThat(index.stats().counters()).as("create commits once").isEqualTo(new IndexCounters(0, 0, 0, 1, 0, 0, 0, 0));
      index.upsertAll(List.of(
          new Record("a", new float[] {1, 0}, null, Map.of("n", 1)),
          new Record("b", new float[] {0, 1}, null, Map.of("n", 2)),
          new Record("c", new float[] {1, 1}, null, Map.of("n", 3))));
      assertThatThrownBy(() -> index.upsert(Record.of("bad", new float[] {Float.NaN, 0})))
          .isInstanceOf(RecordValidationException.class);
      index.commit("three");
      index.deleteAll(List.of("a", "zz"));
      index.deleteWhere(MetadataFilter.range("n", 3.0, 3.0));
      index.commit("one left");
      assertThat(index.counters()).isEqualTo(index.stats().counters());
      index.upsert(Record.of("d", new float[] {1, 0}));
      assertThat(index.counters().recordsUpserted()).as("buffered writes count at once").isEqualTo(4);
      assertThat(index.stats().counters().recordsUpserted()).as("the committed snapshot does not have them yet").isEqualTo(3);
    }
    try (VectorIndex index = VectorIndex.open(path)) {
      IndexCounters reopened = index.stats().counters();
      assertThat(reopened).isEqualTo(new IndexCounters(3, 3, 1, 3, 0, 0, 0, 0));
      CompactionReport report = new Compactor(index).compact(CompactionPolicy.builder().expungeDeletes(true).build());
      index.history().rollbackTo("2");
      IndexCounters after = index.stats().counters();
      assertThat(after.commits()).isEqualTo(5);
      assertThat(after.rollbacks()).isEqualTo(1);
      assertThat(after.compactions()).isEqualTo(1);
      assertThat(after.compactionBytesWritten()).isEqualTo(report.io().bytesWritten());
      assertThat(after.recordsUpserted()).as("a rollback does not rewind the counters").isEqualTo(3);
    }
  }
}
