package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.Similarity;
import dev.strata.core.VectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting the tag catalog must not pass for "no tags": verify says so, and retention keeps every
 * snapshot (the ones the lost tags protected included) until the catalog is back.
 */
class MissingTagCatalogTest {
  @TempDir Path dir;

  @Test
  void aDeletedCatalogIsReportedAndRetentionDeletesNothingMeanwhile() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions keepOne = IndexOptions.builder().retention(RetentionPolicy.keepLast(1)).build();
    Path catalog = path.resolve("strata-tags.txt");
    byte[] saved;
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), keepOne)) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("the one to keep"); // snapshot 2
      index.history().tag("2", "release");
      index.upsert(Record.of("b", new float[] {0, 1}));
      index.commit("records the catalog"); // snapshot 3: retention keeps 2 (tagged) and 3
      saved = Files.readAllBytes(catalog);
      Files.delete(catalog);

      index.upsert(Record.of("c", new float[] {1, 1}));
      index.commit("after the loss"); // keepLast(1) would take 2 and 3, were the catalog read as empty
      assertThat(index.history().list()).extracting(s -> s.info().id()).containsExactly(2L, 3L, 4L);
      List<VerificationReport> reports = index.history().verifyAll();
      assertThat(reports).filteredOn(r -> !r.sound()).isNotEmpty().allSatisfy(r ->
          assertThat(r.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("tags");
            assertThat(c.passed()).isFalse();
            assertThat(c.detail()).contains("strata-tags.txt is missing");
          }));

      Files.write(catalog, saved); // restored from a backup
      index.upsert(Record.of("d", new float[] {2, 1}));
      index.commit("catalog back");
      assertThat(index.history().list()).extracting(s -> s.info().id())
          .as("retention resumes: the tagged snapshot and the newest").containsExactly(2L, 5L);
      assertThat(index.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).isTrue());
    }
  }
}
