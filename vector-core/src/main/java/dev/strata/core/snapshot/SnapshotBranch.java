package dev.strata.core.snapshot;

import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.io.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.lucene.index.IndexCommit;

/**
 * A new, writable index holding one snapshot of another ({@link IndexHistory#branch}): the
 * snapshot's files hard-linked where the filesystem allows (Lucene never rewrites a file, so both
 * indexes can share them; the time does not grow with the records), copied where it does not,
 * said which. The branch has its own history from there and no tags.
 *
 * @param snapshot the snapshot the branch starts from
 * @param target the branch's directory
 * @param files the files of that snapshot
 * @param linked how many were hard-linked (the rest were copied)
 * @param bytes their size
 * @param millis how long it took
 */
public record SnapshotBranch(SnapshotInfo snapshot, Path target, int files, int linked, long bytes, long millis) {
  /** Whether every file was hard-linked (nothing copied). */
  public boolean allLinked() {
    return linked == files;
  }

  /** Stages the files of {@code commit} of the index at {@code source} and moves them into place at {@code target}. */
  static SnapshotBranch create(Path source, IndexCommit commit, Path target) throws IOException {
    long start = System.nanoTime();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || !FileTrees.isEmpty(target))) {
      throw new IndexAlreadyExistsException(target, "a branch is made into a new or empty directory");
    }
    dev.strata.core.OwnerOnlyFiles.createDirectories(target.toAbsolutePath().getParent());
    try (ImportDestination destination = ImportDestination.lock(target)) {
      Path staging = destination.newStaging();
      try {
        int linked = 0;
        long bytes = 0;
        for (String file : commit.getFileNames()) {
          Path from = source.resolve(file);
          Path to = staging.resolve(file);
          try {
            Files.createLink(to, from);
            linked++;
          } catch (UnsupportedOperationException | IOException e) { // another filesystem, or no links here: copy
            Files.copy(from, to);
          }
          bytes += Files.size(to);
        }
        TagCatalog.write(staging, Map.of()); // a branch starts without tags: a catalog says so
        try (FileChannel dir = FileChannel.open(staging, StandardOpenOption.READ)) {
          dir.force(true); // the links' names are durable before the directory moves into place
        }
        destination.replaceWith(staging);
        return new SnapshotBranch(CommitData.snapshot(commit.getUserData()), target, commit.getFileNames().size(), linked,
            bytes, (System.nanoTime() - start) / 1_000_000);
      } finally {
        FileTrees.deleteRecursively(staging); // nothing left once it was moved into place
      }
    }
  }
}
