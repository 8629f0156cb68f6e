package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.snapshot.VerificationReport.Check;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Strata creates holds the corpus' texts: owner-only unless shared with the group on purpose,
 * and {@code verify} warns about an index other users can write.
 */
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
  }

  @Test
  void indexesArchivesAndImportsAreOwnerOnlyAndVerifyWarnsWhenOthersCanWrite() throws Exception {
    Path path = dir.resolve("deep/idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      index.upsert(Record.of("a", new float[] {1, 0}));
      index.commit("one");
      index.history().export("1", null, dir.resolve("one.tar.zst"));
    }
    assertThat(mode(path)).isEqualTo("rwx------");
    assertThat(mode(path.getParent())).as("a parent Strata created").isEqualTo("rwx------");
    assertThat(mode(dir.resolve("one.tar.zst"))).isEqualTo("rw-------");
    SnapshotArchives.importArchive(dir.resolve("one.tar.zst"), dir.resolve("restored"), false);
    assertThat(mode(dir.resolve("restored"))).isEqualTo("rwx------");
    assertThat(permissions(path).detail()).isEqualTo("no other user can write the index");

    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
    Check warned = permissions(path);
    assertThat(warned.passed()).as("a warning, not damage").isTrue();
    assertThat(warned.detail()).startsWith("warning: ").contains("writable by every user").contains("chmod go-w");
  }

  @Test
  void sharedWithTheGroupTheyAreGroupReadable() throws Exception {
    System.setProperty(OwnerOnlyFiles.SHARE_WITH_GROUP, "true");
    try {
      Path path = dir.resolve("shared");
      VectorIndex.create(path, IndexSchema.builder(2, Similarity.EUCLIDEAN).build()).close();
      assertThat(mode(path)).isEqualTo("rwxr-x---");
    } finally {
      System.clearProperty(OwnerOnlyFiles.SHARE_WITH_GROUP);
    }
  }

  private static Check permissions(Path index) {
    return IndexRecovery.verifyIndex(index).indexChecks().stream().filter(c -> c.name().equals("permissions"))
        .findFirst().orElseThrow();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
