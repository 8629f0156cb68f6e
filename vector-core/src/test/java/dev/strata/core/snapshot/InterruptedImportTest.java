package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexLockedException;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state a crash can leave an import's swap in, built as the crash leaves it: the next open
 * of DEST finishes the swap (the staged copy is complete by its name) or undoes it, and leaves
 * no staging directory behind.
 */
class InterruptedImportTest {
  @TempDir Path dir;

  /** An index holding one record, {@code marker}, built elsewhere and moved to {@code where}. */
  private Path index(String marker, Path where) throws Exception {
    Path built = dir.resolve("build-" + marker);
    try (VectorIndex index = VectorIndex.create(built, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of(marker, new float[] {1, 0}));
      index.commit(marker);
    }
    return Files.move(built, where);
  }

  private Path dest() {
    return dir.resolve("dest");
  }

  private Path leftover(String kind) {
    return dir.resolve(".dest." + kind + "-0000");
  }

  private void importRanHere() throws Exception {
    Files.createFile(dir.resolve(".dest.import.lock"));
  }

  private String openMarker() {
    try (VectorIndex index = VectorIndex.open(dest())) {
      return index.history().list().getLast().info().message();
    }
  }

  private List<String> siblings() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".dest.") && !n.endsWith(".lock"))
          .sorted().toList();
    }
  }

  @Test
  void killedWhileUnpackingTheOldIndexStaysAndTheStagingGoes() throws Exception {
    importRanHere();
    index("old", dest());
    Files.createDirectory(leftover("importing"));
    Files.writeString(leftover("importing").resolve("_0.cfs"), "half an archive");
    assertThat(openMarker()).isEqualTo("old");
    assertThat(siblings()).isEmpty();
  }

  @Test
  void killedAfterStagingBeforeTheSwapTheOldIndexStays() throws Exception {
    importRanHere();
    index("old", dest());
    index("new", leftover("staged"));
    assertThat(openMarker()).isEqualTo("old");
    assertThat(siblings()).isEmpty();
  }

  @Test
  void killedBetweenTheRenamesTheSwapIsFinished() throws Exception {
    importRanHere();
    index("old", leftover("replaced"));
    index("new", leftover("staged"));
    assertThat(dest()).doesNotExist();
    assertThat(openMarker()).isEqualTo("new");
    assertThat(siblings()).isEmpty();
  }

  @Test
  void killedAfterTheOldIndexMovedAsideWithoutAStagedCopyItIsPutBack() throws Exception {
    importRanHere();
    index("old", leftover("replaced"));
    assertThat(openMarker()).isEqualTo("old");
    assertThat(siblings()).isEmpty();
  }

  @Test
  void killedBeforeTheOldIndexWasDeletedItIsDeleted() throws Exception {
    importRanHere();
    index("new", dest());
    index("old", leftover("replaced"));
    assertThat(openMarker()).isEqualTo("new");
    assertThat(siblings()).isEmpty();
  }

  @Test
  void aSecondImportIntoTheSameDestinationWaitsForNone() throws Exception {
    Path archive = dir.resolve("a.tar.zst");
    try (VectorIndex source = VectorIndex.open(index("src", dir.resolve("src")))) {
      source.history().export("2", null, archive);
    }
    try (ImportDestination running = ImportDestination.lock(dest())) {
      assertThatThrownBy(() -> SnapshotArchives.importArchive(archive, dest(), false))
          .isInstanceOf(IndexLockedException.class)
          .hasMessageContaining("another import");
    }
    SnapshotArchives.importArchive(archive, dest(), false);
    assertThat(openMarker()).isEqualTo("src");
  }
}
