package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.testing.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives crafted to escape the import directory or to exhaust the disk, and random damage to a
 * good one: every one is refused with a message, nothing is written outside the destination (nor
 * the destination itself), and no staging directory is left behind.
 */
class HostileArchiveTest {
  @TempDir Path dir;
  private Path work;
  private Path good;

  @BeforeEach
  void goodArchive() throws IOException {
    work = dir.resolve("work");
    Files.createDirectories(work);
    Path source = dir.resolve("source");
    try (VectorIndex index = VectorIndex.create(source, IndexSchema.builder(3, Similarity.EUCLIDEAN).build())) {
      for (int i = 0; i < 200; i++) {
        index.upsert(Record.of("r" + i, new float[] {i, i % 3, 1}));
      }
      SnapshotInfo snapshot = index.commit("good");
      good = dir.resolve("good.tar.zst");
      index.history().export(Long.toString(snapshot.id()), null, good);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "/tmp/strata-evil-absolute", "..", ".", "sub/evil", "evil\\..\\x", ""})
  void entriesNamedToEscapeAreRefused(String name) throws IOException {
    Path archive = craft(tar -> addFile(tar, name, "evil".getBytes(StandardCharsets.UTF_8)));
    assertRefused(archive, "holds an entry that no index has");
    assertThat(Path.of("/tmp/strata-evil-absolute")).doesNotExist();
  }

  @Test
  void linksAndDirectoriesAreRefused() throws IOException {
    Path symlink = craft(tar -> {
      TarArchiveEntry link = new TarArchiveEntry("segments_9", TarConstants.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    });
    assertRefused(symlink, "(a link)");
    Path hardlink = craft(tar -> {
      TarArchiveEntry link = new TarArchiveEntry("segments_9", TarConstants.LF_LINK);
      link.setLinkName("../../victim");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    });
    assertRefused(hardlink, "(a link)");
    Path directory = craft(tar -> {
      tar.putArchiveEntry(new TarArchiveEntry("subdir/"));
      tar.closeArchiveEntry();
    });
    assertRefused(directory, "holds an entry that no index has");
  }

  @Test
  void anEntryClaimingMoreBytesThanTheDiskHasIsRefusedBeforeUnpacking() throws IOException {
    // A header claiming 1 PiB, followed by a few bytes: the importer must not start copying.
    TarArchiveEntry entry = new TarArchiveEntry("_0.cfs");
    entry.setSize(1L << 50);
    byte[] header = new byte[512];
    entry.writeEntryHeader(header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"), true);
    Path archive = dir.resolve("huge.tar.zst");
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(archive))) {
      out.write(header);
      out.write(new byte[4096]);
    }
    assertRefused(archive, "is 1125899906842624 bytes");

    Path manifest = craft(tar -> addFile(tar, "STRATA-ARCHIVE-MANIFEST", new byte[(16 << 20) + 1]));
    assertRefused(manifest, "this is not a Strata snapshot archive");
  }

  @Test
  void aFileWhoseBytesDoNotMatchTheManifestIsRefused() throws IOException {
    // The good archive's entries, with one file's content changed but its manifest line kept.
    Path tampered = dir.resolve("tampered.tar.zst");
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(good)));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new ZstdOutputStream(Files.newOutputStream(tampered)))) {
      boolean changed = false;
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (!changed && e.getName().endsWith(".si")) {
          bytes[bytes.length / 2] ^= 1;
          changed = true;
        }
        addFile(tar, e.getName(), bytes);
      }
      assertThat(changed).isTrue();
    }
    assertRefused(tampered, "fails its checksum");
  }

  @Test
  void randomlyDamagedArchivesAreAllRefusedOrImportIntact() throws IOException {
    byte[] bytes = Files.readAllBytes(good);
    Random random = new Random(TestSeeds.seed("hostile-archive"));
    int refused = 0;
    int runs = 40 * TestSeeds.multiplier();
    for (int run = 0; run < runs; run++) {
      byte[] damaged = bytes.clone();
      switch (run % 4) {
        case 0 -> damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
        case 2 -> {
          for (int i = 0; i < 16; i++) {
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
          }
        }
        default -> random.nextBytes(damaged);
      }
      Path archive = dir.resolve("damaged-" + run + ".tar.zst");
      Files.write(archive, damaged);
      Path dest = work.resolve("restored-" + run);
      try {
        SnapshotArchives.importArchive(archive, dest, false);
        // A flip that zstd and the tar reader both tolerate (in padding, say) may leave the data intact.
        try (VectorIndex index = VectorIndex.open(dest)) {
          assertThat(index.history().verifyAll()).allMatch(dev.strata.core.snapshot.VerificationReport::sound);
          assertThat(index.stats().docs()).isEqualTo(200);
        }
      } catch (StrataException | IllegalArgumentException e) {
        refused++;
        assertThat(e.getMessage()).as("run %d", run).contains(archive.toString());
        assertThat(dest).doesNotExist();
      }
      assertNoStagingLeft();
    }
    System.out.printf("hostile archives: %d damaged archives, %d refused, %d imported intact%n", runs, refused, runs - refused);
    assertThat(refused).isGreaterThan(runs / 2);
  }

  private interface TarWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  /** An archive whose entries {@code writer} adds after those of the good one, so only the crafted part is at fault. */
  private Path craft(TarWriter writer) throws IOException {
    Path archive = dir.resolve("crafted-" + System.nanoTime() + ".tar.zst");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      writer.write(tar);
    }
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(archive))) {
      out.write(raw.toByteArray());
    }
    return archive;
  }

  private static void addFile(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  @Test
  void anArchiveWithAWindowBeyond128MiBIsRefusedSayingWhy() throws IOException {
    byte[] tar;
    try (var in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(good))) {
      tar = in.readAllBytes();
    }
    // A valid zstd frame, built by hand as RFC 8878 lays it out, declaring a 2 GiB window (zstd
    // --long=31) and holding the archive's bytes as raw blocks: any decoder with the memory reads it.
    var frame = new java.io.ByteArrayOutputStream();
    frame.write(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}); // magic number
    frame.write(0x00); // frame header descriptor: no content size, no checksum, no dictionary
    frame.write((31 - 10) << 3); // window descriptor: 2^31 bytes
    for (int at = 0; at < tar.length; at += 1 << 16) {
      int size = Math.min(1 << 16, tar.length - at);
      int header = (at + size == tar.length ? 1 : 0) | (size << 3); // last-block flag, raw block, size
      frame.write(new byte[] {(byte) header, (byte) (header >> 8), (byte) (header >> 16)});
      frame.write(tar, at, size);
    }
    Path longWindow = dir.resolve("long-window.tar.zst");
    Files.write(longWindow, frame.toByteArray());
    assertRefused(longWindow, "zstd window over 128 MiB");
  }

  private void assertRefused(Path archive, String why) throws IOException {
    Path dest = work.resolve("restored");
    List<String> before = listing(dir);
    assertThatThrownBy(() -> SnapshotArchives.importArchive(archive, dest, false))
        .isInstanceOf(StrataException.class).hasMessageContaining(archive.toString()).hasMessageContaining(why)
        .hasMessageNotContaining("Check[").hasMessageNotContaining("claims"); // sentences, not Java records
    assertThat(dest).doesNotExist();
    // Not even the import's lock file: a refused import, like a finished one, removes it.
    assertThat(listing(dir)).as("nothing left anywhere").isEqualTo(before);
    assertNoStagingLeft();
  }

  private void assertNoStagingLeft() throws IOException {
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".importing-"));
    }
  }


  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<String> out = new ArrayList<>(files.map(p -> root.relativize(p).toString()).sorted().toList());
      return out;
    }
  }
}
