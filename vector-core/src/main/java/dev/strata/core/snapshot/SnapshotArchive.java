package dev.strata.core.snapshot;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.IndexLockedException;
import dev.strata.core.StrataException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * A snapshot as one file: a tar of the commit's files then a manifest with each file's SHA-256,
 * compressed with zstd. Segments never change, so an incremental archive ({@code base}) leaves out
 * the files its base snapshot already has. Import writes into a staging directory beside the
 * destination, checks every file against the manifest and the whole snapshot with {@link
 * SnapshotVerifier}, and only then renames it into place: a damaged, truncated or foreign archive
 * leaves nothing behind.
 */
final class SnapshotArchive {
  /** A plain file name: no separator, and not "." or ".." (it cannot start with a dot). */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}");
  /**
   * A manifest lists files and hashes: kilobytes. Far more is not a manifest, and is not read into
   * memory.
   */
  private static final long MAX_MANIFEST_BYTES = 16 << 20;
  private static final int BUFFER = 1 << 16;

  private SnapshotArchive() {}

  public record ExportResult(long snapshotId, long baseSnapshotId, int files, long bytes, long archiveBytes) {}

  public record ImportResult(long snapshotId, int files, long bytes) {}

  static ExportResult export(
      Directory directory, IndexCommit target, IndexCommit base, List<String> tags, Path out) throws IOException {
    long snapshotId = CommitData.snapshot(target.getUserData()).id();
    long baseId = base == null ? 0 : CommitData.snapshot(base.getUserData()).id();
    Set<String> baseFiles = base == null ? Set.of() : Set.copyOf(base.getFileNames());
    List<String> names = target.getFileNames().stream().sorted().toList();
    Map<String, IndexInput> inputs = new LinkedHashMap<>();
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    try {
      // Open every file first: an open file survives retention deleting it mid-export.
      for (String name : names) {
        inputs.put(name, directory.openInput(name, IOContext.READONCE));
      }
      Map<String, String> files = new LinkedHashMap<>();
      Set<String> included = new LinkedHashSet<>();
      long bytes = 0;
      try (OutputStream file = dev.strata.core.OwnerOnlyFiles.newOutputStream(partial);
          ZstdOutputStream zstd = new ZstdOutputStream(new BufferedOutputStream(file, BUFFER), 3);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        byte[] buffer = new byte[BUFFER];
        for (String name : names) {
          IndexInput in = inputs.get(name);
          long length = in.length();
          MessageDigest sha = ArchiveManifest.digest();
          boolean include = !baseFiles.contains(name);
          if (include) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(length);
            tar.putArchiveEntry(entry);
          }
          for (long left = length; left > 0; ) {
            int n = (int) Math.min(buffer.length, left);
            in.readBytes(buffer, 0, n);
            sha.update(buffer, 0, n);
            if (include) {
              tar.write(buffer, 0, n);
            }
            left -= n;
          }
          if (include) {
            tar.closeArchiveEntry();
            included.add(name);
            bytes += length;
          }
          files.put(name, length + " " + HexFormat.of().formatHex(sha.digest()));
        }
        byte[] manifest = new ArchiveManifest(snapshotId, baseId, files, included, tags).encode().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(ArchiveManifest.ENTRY);
        entry.setSize(manifest.length);
        tar.putArchiveEntry(entry);
        tar.write(manifest);
        tar.closeArchiveEntry();
        tar.finish();
      }
      fsync(partial);
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new ExportResult(snapshotId, baseId, included.size(), bytes, Files.size(out));
    } finally {
      for (IndexInput in : inputs.values()) {
        in.close();
      }
      Files.deleteIfExists(partial);
    }
  }

  static ImportResult importArchive(Path archive, Path dest, boolean force) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new IllegalArgumentException("archive not found: " + archive);
    }
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new IndexAlreadyExistsException(dest, "it is a file, not an index directory; import never replaces one");
    }
    dev.strata.core.OwnerOnlyFiles.createDirectories(dest.toAbsolutePath().getParent());
    try (ImportDestination destination = ImportDestination.lock(dest)) {
      boolean destHasFiles = Files.isDirectory(dest) && !FileTrees.isEmpty(dest);
      Path staging = destination.newStaging();
      try (Closeable writeLock = lockDestination(dest)) {
        Map<String, String> actual = new HashMap<>();
        ArchiveManifest manifest = unpack(archive, staging, actual);
        check(archive, manifest, actual);
        if (manifest.baseSnapshotId() != 0) {
          if (!force) {
            requireBaseIsLatest(dest, manifest.baseSnapshotId());
          }
          copyBaseFiles(manifest, dest, staging);
        } else if (destHasFiles && !force) {
          throw new IndexAlreadyExistsException(dest, "it is not empty; import with force to replace it");
        }
        // Always a catalog, if an empty one: the snapshot may have recorded tags (that named
        // other snapshots), and a catalog missing beside it would read as lost tags.
        Map<String, Long> tags = new HashMap<>();
        manifest.tags().forEach(tag -> tags.put(tag, manifest.snapshotId()));
        TagCatalog.write(staging, tags);
        verifyStaged(archive, staging, manifest);
        fsyncAll(staging);
        destination.replaceWith(staging);
        long bytes = manifest.files().values().stream().mapToLong(v -> Long.parseLong(v.substring(0, v.indexOf(' ')))).sum();
        return new ImportResult(manifest.snapshotId(), manifest.files().size(), bytes);
      } finally {
        FileTrees.deleteRecursively(staging); // nothing left once it was swapped in
      }
    }
  }

  /** Unpacks files into {@code staging}, recording each one's "size sha256"; returns the manifest. */
  private static ArchiveManifest unpack(Path archive, Path staging, Map<String, String> actual) {
    ArchiveManifest manifest = null;
    try (InputStream file = Files.newInputStream(archive);
        ZstdInputStream zstd = new ZstdInputStream(new BufferedInputStream(file, BUFFER));
        TarArchiveInputStream tar = new TarArchiveInputStream(zstd)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name = entry.getName();
        if (name.equals(ArchiveManifest.ENTRY)) {
          if (entry.getSize() > MAX_MANIFEST_BYTES || !entry.isFile()) {
            throw new StrataException("archive " + archive + " has a manifest entry of " + entry.getSize()
                + " bytes; a manifest is far smaller: this is not a Strata snapshot archive");
          }
          try {
            manifest = ArchiveManifest.decode(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          } catch (StrataException e) {
            throw new StrataException("archive " + archive + ": " + e.getMessage(), e);
          }
          continue;
        }
        boolean plainFile = entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
        if (!FILE_NAME.matcher(name).matches() || !plainFile) {
          throw new StrataException("archive " + archive + " holds an entry that no index has: '" + name + "'"
              + (entry.isSymbolicLink() || entry.isLink() ? " (a link)" : entry.isDirectory() ? " (a directory)" : ""));
        }
        long free = Files.getFileStore(staging).getUsableSpace();
        if (entry.getSize() > free) {
          throw new StrataException("not enough disk space to import archive " + archive + ": its file '" + name + "' is "
              + entry.getSize() + " bytes, and only " + free + " bytes are free beside " + staging.getParent()
              + "; nothing was imported (free space, or import elsewhere)");
        }
        MessageDigest sha = ArchiveManifest.digest();
        long size;
        try (DigestInputStream in = new DigestInputStream(tar, sha) {
              @Override
              public void close() {
                // the tar stream goes on to the next entry
              }
            }) {
          size = Files.copy(in, staging.resolve(name));
        }
        actual.put(name, size + " " + HexFormat.of().formatHex(sha.digest()));
      }
    } catch (FileAlreadyExistsException e) {
      throw new StrataException("archive " + archive + " holds a file twice: " + e.getFile(), e);
    } catch (StrataException e) {
      throw e; // already says what is wrong with which archive
    } catch (com.github.luben.zstd.ZstdIOException e) {
      if (String.valueOf(e.getMessage()).contains("too much memory")) {
        throw new StrataException("archive " + archive + " was compressed with a zstd window over 128 MiB (zstd --long=28"
            + " or more); imports decode with at most 128 MiB of window memory, so that no archive can make one"
            + " allocate gigabytes: recompress it with a smaller window (zstd -d, then zstd without --long) or export"
            + " it with index-admin export", e);
      }
      throw new StrataException("archive " + archive + " is damaged or truncated: " + e, e);
    } catch (IOException | RuntimeException e) {
      // The tar and zstd readers meet arbitrary bytes in a damaged archive and may fail with any
      // runtime exception; whatever it is, the archive is the cause.
      throw new StrataException("archive " + archive + " is damaged or truncated: " + e, e);
    }
    if (manifest == null) {
      throw new StrataException("archive " + archive + " has no manifest: it is truncated or not a Strata snapshot archive");
    }
    return manifest;
  }

  private static void check(Path archive, ArchiveManifest manifest, Map<String, String> actual) {
    for (String name : actual.keySet()) {
      if (!manifest.included().contains(name)) {
        throw new StrataException("archive " + archive + ": file " + name + " is not in its manifest");
      }
    }
    for (String name : manifest.included()) {
      String found = actual.get(name);
      if (found == null) {
        throw new StrataException("archive " + archive + ": file " + name + " is missing");
      }
      if (!found.equals(manifest.files().get(name))) {
        throw new StrataException("archive " + archive + ": file " + name + " fails its checksum (manifest "
            + manifest.files().get(name) + ", archive " + found + ")");
      }
    }
  }

  /**
   * Lucene's write lock on the index at {@code dest}, held while it is replaced, so no writer is
   * part way through a commit that the replacement would throw away; nothing for a new directory.
   */
  private static Closeable lockDestination(Path dest) throws IOException {
    if (!Files.isDirectory(dest)) {
      return () -> {};
    }
    Directory directory = FSDirectory.open(dest);
    try {
      Lock lock = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME);
      return () -> IOUtils.close(lock, directory);
    } catch (LockObtainFailedException e) {
      directory.close();
      throw new IndexLockedException(dest, e);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * An incremental archive goes on top of the snapshot it was cut from; replacing an index that
   * has moved past that base would silently drop its later snapshots and records.
   */
  private static void requireBaseIsLatest(Path dest, long base) throws IOException {
    if (!Files.isDirectory(dest)) {
      return; // nothing there (and FSDirectory.open would create it): copying the base files says what is missing
    }
    try (Directory directory = FSDirectory.open(dest)) {
      if (!DirectoryReader.indexExists(directory)) {
        return; // no index at all: copying the base files says what is missing
      }
      long latest = CommitData.snapshot(SegmentInfos.readLatestCommit(directory).getUserData()).id();
      if (latest != base) {
        throw new IndexAlreadyExistsException(dest, "its latest snapshot is " + latest + ", not the archive's base "
            + base + ": importing would drop what came after it; import with force to replace it anyway");
      }
    }
  }

  private static void copyBaseFiles(ArchiveManifest manifest, Path dest, Path staging) throws IOException {
    for (Map.Entry<String, String> e : manifest.files().entrySet()) {
      if (manifest.included().contains(e.getKey())) {
        continue;
      }
      if (!FILE_NAME.matcher(e.getKey()).matches()) { // a base file is read from dest: confine it there
        throw new StrataException("incremental archive names base file '" + e.getKey() + "', not an index file name");
      }
      Path source = dest.resolve(e.getKey());
      if (!Files.isRegularFile(source)) {
        throw new StrataException("incremental archive needs base snapshot " + manifest.baseSnapshotId()
            + " at " + dest + ", but " + e.getKey() + " is not there");
      }
      Path target = staging.resolve(e.getKey());
      Files.copy(source, target);
      if (!e.getValue().equals(sizeAndHash(target))) {
        throw new StrataException("incremental import: base file " + source + " differs from the one snapshot "
            + manifest.baseSnapshotId() + " had (damaged, or another index)");
      }
    }
  }

  /** The staged directory must open as an index whose one snapshot verifies sound. */
  private static void verifyStaged(Path archive, Path staging, ArchiveManifest manifest) throws IOException {
    try (Directory directory = FSDirectory.open(staging)) {
      List<IndexCommit> commits = DirectoryReader.listCommits(directory);
      IndexCommit commit = commits.get(commits.size() - 1);
      var info = CommitData.snapshot(commit.getUserData());
      if (info.id() != manifest.snapshotId()) {
        throw new StrataException("archive " + archive + " says snapshot " + manifest.snapshotId() + " but holds " + info.id());
      }
      VerificationReport report = new VerificationReport(info.id(), SnapshotVerifier.verify(commit, info));
      if (!report.sound()) {
        throw new StrataException("archive " + archive + " unpacks to a damaged snapshot (" + report.checks().stream()
            .filter(c -> !c.passed()).map(c -> c.name() + ": " + c.detail())
            .collect(java.util.stream.Collectors.joining("; ")) + "); nothing was imported");
      }
    } catch (org.apache.lucene.index.IndexNotFoundException e) {
      throw new StrataException("archive " + archive + " holds no index commit", e);
    }
  }

  private static String sizeAndHash(Path file) throws IOException {
    MessageDigest sha = ArchiveManifest.digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return Files.size(file) + " " + HexFormat.of().formatHex(sha.digest());
  }

  private static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void fsyncAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        fsync(f);
      }
    }
  }
}
