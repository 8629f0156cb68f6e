package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
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
    Path mirror = path.resolve("strata-tags.mirror.txt");
    byte[] saved;
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), keepOne)) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("the one to keep"); // snapshot 2
      index.history().tag("2", "release");
      index.upsert(Record.of("b", new float[] {0, 1}));
      index.commit("records the catalog"); // snapshot 3: retention keeps 2 (tagged) and 3
      saved = Files.readAllBytes(catalog);
      Files.delete(catalog);
      Files.delete(mirror); // both copies lost: only the commit's record of tags is left

      index.upsert(Record.of("c", new float[] {1, 1}));
      index.commit("after the loss"); // keepLast(1) would take 2 and 3, were the catalog read as empty
      assertThat(index.history().list()).extracting(s -> s.info().id()).containsExactly(2L, 3L, 4L);
      List<VerificationReport> reports = index.history().verifyAll();
      assertThat(reports).filteredOn(r -> !r.sound()).isNotEmpty().allSatisfy(r ->
          assertThat(r.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("tags");
            assertThat(c.passed()).isFalse();
            assertThat(c.detail()).contains("strata-tags.txt and its mirror are missing");
          }));

      Files.write(catalog, saved); // restored from a backup
      index.upsert(Record.of("d", new float[] {2, 1}));
      index.commit("catalog back");
      assertThat(index.history().list()).extracting(s -> s.info().id())
          .as("retention resumes: the tagged snapshot and the newest").containsExactly(2L, 5L);
      assertThat(index.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).isTrue());
    }
  }

  /** The red-team's case: a tag set, the catalog deleted before any commit recorded it, then many commits. */
  @Test
  void aTagProtectsItsSnapshotBeforeAnyCommitRecordedIt() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions keepTwo = IndexOptions.builder().retention(RetentionPolicy.keepLast(2)).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), keepTwo)) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("the one to keep"); // snapshot 2
      index.history().tag("2", "keepme");
      Files.delete(path.resolve("strata-tags.txt")); // before any commit recorded that tags exist
      for (int i = 0; i < 12; i++) {
        index.upsert(Record.of("r" + i, new float[] {i, 1}));
        index.commit("ingest " + i);
      }
      assertThat(index.history().list()).extracting(s -> s.info().id()).as("the tagged snapshot and the newest two")
          .containsExactly(2L, 13L, 14L);
      assertThat(index.history().verifyAll()).anySatisfy(r -> assertThat(r.checks()).anySatisfy(c -> {
        assertThat(c.name()).isEqualTo("tags");
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).contains("strata-tags.txt is missing").contains("mirror");
      }));
      index.history().tag("13", "another"); // the next change writes the catalog again
      assertThat(Files.exists(path.resolve("strata-tags.txt"))).isTrue();
      assertThat(index.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).isTrue());
    }
  }
}
