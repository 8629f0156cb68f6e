package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexAlreadyExistsException;
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

/** A branch is a writable index of one snapshot, sharing files with its source and independent of it. */
class SnapshotBranchTest {
  @TempDir Path dir;

  @Test
  void aBranchHoldsTheSnapshotTakesItsOwnWritesAndOutlivesTheSourcesPruning() throws Exception {
    Path source = dir.resolve("serving");
    Path branchDir = dir.resolve("experiment");
    long v1;
    try (VectorIndex index = VectorIndex.create(source, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsertAll(List.of(Record.of("a", new float[] {1, 0}), Record.of("b", new float[] {0, 1})));
      v1 = index.commit("v1").id();
      index.upsert(Record.of("c", new float[] {1, 1}));
      index.commit("v2");

      SnapshotBranch branch = index.history().branch(Long.toString(v1), branchDir);
      assertThat(branch.snapshot().id()).isEqualTo(v1);
      assertThat(branch.linked()).as("same filesystem: every file hard-linked").isEqualTo(branch.files());
      assertThat(branch.allLinked()).isTrue();
      assertThatThrownBy(() -> index.history().branch(Long.toString(v1), branchDir))
          .isInstanceOf(IndexAlreadyExistsException.class);

      index.upsert(Record.of("d", new float[] {2, 2})); // the source goes on
      index.commit("v3");
    }
    // Opening the writer with a retention of one snapshot drops the branched snapshot's files there.
    VectorIndex.open(source, dev.strata.core.IndexOptions.builder().retention(RetentionPolicy.keepLast(1)).build()).close();
    try (VectorIndex pruned = VectorIndex.open(source)) {
      assertThat(pruned.history().list()).hasSize(1);
    }
    try (VectorIndex branch = VectorIndex.open(branchDir)) {
      assertThat(branch.latestSnapshot().id()).isEqualTo(v1);
      assertThat(branch.contains("a")).isTrue();
      assertThat(branch.contains("c")).as("written after the branched snapshot").isFalse();
      assertThat(branch.history().verify(Long.toString(v1)).sound()).isTrue();
      branch.upsert(Record.of("e", new float[] {3, 3}));
      branch.commit("on the branch");
      assertThat(branch.contains("e")).isTrue();
    }
    try (VectorIndex again = VectorIndex.open(source)) {
      assertThat(again.contains("e")).as("a branch's writes stay on the branch").isFalse();
      assertThat(again.contains("d")).isTrue();
    }
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
        .as("no staging or lock left beside the branch").containsExactlyInAnyOrder("serving", "experiment");
  }
}
