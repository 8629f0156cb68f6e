package dev.strata.core.snapshot;

import dev.strata.core.IndexLockedException;
import dev.strata.core.StrataException;
import dev.strata.core.internal.io.FileTrees;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The directory an import fills, and the swap that puts a verified copy under its name. The new
 * index is staged beside DEST ({@code .DEST.importing-*}), renamed to {@code .DEST.staged-*} once
 * it is complete and verified, then swapped in: DEST moves to {@code .DEST.replaced-*}, the staged
 * copy to DEST. A crash between those renames leaves no index at DEST for a moment; the next
 * import, or the next open of DEST, finishes the swap (a staged copy is complete by its name) or
 * undoes it, and removes what a killed import left. One import per DEST at a time: a lock file
 * beside it ({@code .DEST.import.lock}) is held for the whole import.
 */
final class ImportDestination implements Closeable {
  private static final System.Logger LOG = System.getLogger(ImportDestination.class.getName());

  private final Path dest;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private ImportDestination(Path dest, FileChannel lockChannel, FileLock lock) {
    this.dest = dest;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Takes DEST's import lock and clears up after any interrupted import into it. */
  static ImportDestination lock(Path dest) throws IOException {
    return lock(dest, 3);
  }

  private static ImportDestination lock(Path dest, int attempts) throws IOException {
    Path absolute = dest.toAbsolutePath().normalize();
    FileChannel channel = FileChannel.open(lockFile(absolute), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this process imports into DEST on another thread
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IndexLockedException(absolute, "another import into it is running; try again when it ends");
    }
    if (!stillNamedBy(lockFile(absolute), channel)) {
      // Another import removed the file we locked as it ended: lock the one at the path now.
      lock.release();
      channel.close();
      if (attempts == 1) {
        throw new IndexLockedException(absolute, "imports into it keep starting and ending; try again");
      }
      return lock(dest, attempts - 1);
    }
    ImportDestination destination = new ImportDestination(absolute, channel, lock);
    try {
      destination.recoverLocked();
    } catch (IOException | RuntimeException e) {
      destination.close();
      throw e;
    }
    return destination;
  }

  /**
   * Finishes or undoes an import into {@code dest} that a crash interrupted, if one did and none is
   * running now; nothing otherwise. Called before an index at {@code dest} is opened.
   */
  static void recover(Path dest) {
    Path absolute = dest.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null || !Files.exists(lockFile(absolute))) {
      return; // never imported into: nothing to finish
    }
    try (ImportDestination ignored = lock(absolute)) {
      // lock() recovered it
    } catch (IndexLockedException e) {
      // an import is running: it owns the directory until it ends
    } catch (IOException e) {
      throw new StrataException("cannot clear up after an interrupted import into " + absolute + ": " + e, e);
    }
  }

  /** A new, empty staging directory beside DEST. */
  Path newStaging() throws IOException {
    return dev.strata.core.OwnerOnlyFiles.createDirectory(sibling("importing-" + UUID.randomUUID())); // becomes DEST
  }

  /** Puts {@code staging}, complete and verified, under DEST's name, replacing what was there. */
  void replaceWith(Path staging) throws IOException {
    Path staged = sibling("staged-" + UUID.randomUUID());
    Files.move(staging, staged, StandardCopyOption.ATOMIC_MOVE); // from here on, the copy is known complete
    syncParent();
    if (!Files.exists(dest)) {
      Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
      syncParent();
      return;
    }
    Path replaced = sibling("replaced-" + UUID.randomUUID());
    Files.move(dest, replaced, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(replaced, dest, StandardCopyOption.ATOMIC_MOVE); // put the old index back
      throw e;
    }
    syncParent();
    FileTrees.deleteRecursively(replaced);
  }

  /** Under the lock: finish a swap a crash cut between its renames, or undo it; drop leftovers. */
  private void recoverLocked() throws IOException {
    if (!Files.exists(dest)) {
      List<Path> staged = leftovers("staged-");
      List<Path> replaced = leftovers("replaced-");
      if (!staged.isEmpty()) {
        Files.move(staged.getLast(), dest, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(System.Logger.Level.WARNING, "finished an import into {0} that was interrupted between its renames", dest);
      } else if (!replaced.isEmpty()) {
        Files.move(replaced.getLast(), dest, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(System.Logger.Level.WARNING, "undid an import into {0} that was interrupted between its renames", dest);
      }
      syncParent();
    }
    for (String kind : List.of("importing-", "staged-", "replaced-")) {
      for (Path leftover : leftovers(kind)) {
        FileTrees.deleteRecursively(leftover);
        LOG.log(System.Logger.Level.INFO, "removed {0}, left by an interrupted import", leftover);
      }
    }
  }

  private List<Path> leftovers(String kind) throws IOException {
    String prefix = "." + dest.getFileName() + "." + kind;
    try (Stream<Path> siblings = Files.list(dest.getParent())) {
      return siblings.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
          .sorted(Comparator.comparing(ImportDestination::modified))
          .toList();
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private Path sibling(String kind) {
    return dest.resolveSibling("." + dest.getFileName() + "." + kind);
  }

  /**
   * Whether {@code path} still names the file {@code locked} is open on: a token written through the
   * channel must read back through the path (the lock file is removed when an import ends).
   */
  private static boolean stillNamedBy(Path path, FileChannel locked) throws IOException {
    byte[] token = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    locked.truncate(0);
    locked.write(java.nio.ByteBuffer.wrap(token), 0);
    try {
      return java.util.Arrays.equals(Files.readAllBytes(path), token);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  private static Path lockFile(Path dest) {
    return dest.resolveSibling("." + dest.getFileName() + ".import.lock");
  }

  /** Makes the renames in DEST's parent durable (a directory fsync; skipped where the platform has none). */
  private void syncParent() {
    try (FileChannel dir = FileChannel.open(dest.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory: its renames are as durable as the file system makes them
    }
  }

  /**
   * Removes the lock file, then releases it: a finished import leaves nothing beside DEST. (A killed
   * one leaves the file, which tells the next open of DEST to look for its leftovers.)
   */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(lockFile(dest));
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
