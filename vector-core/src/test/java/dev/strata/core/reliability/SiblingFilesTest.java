package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage that every file's own checks pass (issue 31): a deletions file from a sibling copy of the
 * same segment and generation, and a lost newest commit point together with one copy of the head
 * record. Both must be refused when the index opens, not answered from.
 */
class SiblingFilesTest {
  private static final IndexOptions NO_MERGES = IndexOptions.builder().backgroundMerges(false).build();

  @TempDir Path dir;

  @Test
  void aDeletionsFileFromASiblingCopyOfTheSameSegmentIsRefusedAtOpen() throws Exception {
    Path blue = dir.resolve("blue");
    Path copy = dir.resolve("blue-copy");
    try (VectorIndex index = VectorIndex.create(blue, IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), NO_MERGES)) {
      index.upsertAll(records(10));
      index.commit("seed");
    }
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(blue)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("write.lock")) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
    }
    deleteAndCommit(blue, List.of("r1"));
    deleteAndCommit(copy, List.of("r2")); // as many deletions: Lucene's own count check passes
    Path liv = onlyLiv(blue);
    assertThat(onlyLiv(copy).getFileName()).as("same segment, same generation").isEqualTo(liv.getFileName());
    Files.copy(onlyLiv(copy), liv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> VectorIndex.open(blue, NO_MERGES).close()).isInstanceOf(IndexDamagedException.class)
        .hasMessageContaining("record digest").hasMessageContaining(".liv");
  }

  @Test
  void aLostCommitPointIsNoticedWhileOneCopyOfTheHeadRecordSurvives() throws Exception {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build(), NO_MERGES)) {
      index.upsertAll(records(3));
      index.commit("two");
      index.upsertAll(List.of(Record.of("late", new float[] {9, 9})));
      index.commit("three");
    }
    Path newest;
    try (Stream<Path> files = Files.list(path)) {
      newest = files.filter(f -> f.getFileName().toString().startsWith("segments_"))
          .max(java.util.Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
    }
    Files.delete(newest);
    Files.delete(path.resolve("strata-head.txt")); // the red-team's pair: both lost
    assertThatThrownBy(() -> VectorIndex.open(path, NO_MERGES).close()).isInstanceOf(IndexDamagedException.class)
        .hasMessageContaining("snapshot 3 was committed last");
  }

  private static void deleteAndCommit(Path path, List<String> ids) {
    try (VectorIndex index = VectorIndex.open(path, NO_MERGES)) {
      index.deleteAll(ids);
      index.commit("delete " + ids);
    }
  }

  private static Path onlyLiv(Path index) throws Exception {
    try (Stream<Path> files = Files.list(index)) {
      List<Path> livs = files.filter(f -> f.getFileName().toString().endsWith(".liv")).toList();
      assertThat(livs).hasSize(1);
      return livs.get(0);
    }
  }

  private static List<Record> records(int n) {
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(Record.of("r" + i, new float[] {i, 1}));
    }
    return records;
  }
}
