package dev.strata.core.serving;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One live migration per alias at a time: an OS lock on {@code ALIAS.migration.lock}, held for the
 * migration's whole run and released by the kernel if its process dies. Who holds it is written
 * beside it ({@code ALIAS.migration}) for the refusal's message only; it is never trusted to decide.
 * Migrations are refused on filesystems whose locks Strata cannot rely on (see {@code
 * docs/design/live-migration.md}).
 */
final class MigrationLock implements AutoCloseable {
  static final String ALLOW_NETWORK_FS = "strata.migration.allowNetworkFilesystem";
  private static final Set<Path> HELD_HERE = new HashSet<>(); // guarded by itself

  private final Path key;
  private final Path holderNote;
  private final FileLock lock;

  private MigrationLock(Path key, Path holderNote, FileLock lock) {
    this.key = key;
    this.holderNote = holderNote;
    this.lock = lock;
  }

  /**
   * Takes the migration lock of {@code aliasFile} for a migration to {@code target}, or refuses at
   * once naming the migration that holds it.
   */
  static MigrationLock take(Path aliasFile, Path target) {
    Path alias = aliasFile.toAbsolutePath().normalize();
    requireReliableLocks(alias.getParent());
    Path lockFile = alias.resolveSibling(alias.getFileName() + ".migration.lock");
    Path holderNote = alias.resolveSibling(alias.getFileName() + ".migration");
    synchronized (HELD_HERE) {
      if (HELD_HERE.contains(alias)) {
        throw refused(aliasFile, holderNote);
      }
      try {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          channel.close();
          throw refused(aliasFile, holderNote);
        }
        HELD_HERE.add(alias);
        Files.writeString(holderNote, "target=" + alias.getParent().relativize(target.toAbsolutePath().normalize())
            + "\nstarted=" + Instant.now() + "\nhost=" + host() + "\n", StandardCharsets.UTF_8);
        return new MigrationLock(alias, holderNote, lock);
      } catch (IOException e) {
        throw new StrataException("cannot take the migration lock of alias " + aliasFile + " (" + lockFile + "): " + e, e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (HELD_HERE) {
      try {
        Files.deleteIfExists(holderNote);
        lock.acquiredBy().close();
      } catch (IOException e) {
        throw new StrataException("cannot release the migration lock of alias " + key + ": " + e, e);
      } finally {
        HELD_HERE.remove(key);
      }
    }
  }

  private static MigrationInProgressException refused(Path aliasFile, Path holderNote) {
    String holder;
    try {
      holder = Files.exists(holderNote) ? Files.readString(holderNote, StandardCharsets.UTF_8).strip().replace("\n", ", ")
          : "its holder has not said who it is yet";
    } catch (IOException e) {
      holder = "who holds it cannot be read: " + e.getMessage();
    }
    return new MigrationInProgressException("another live migration of alias " + aliasFile + " is running ("
        + holder + "); one migration per alias at a time: wait for it to end, then run this one again on the"
        + " index the alias names then");
  }

  /** Network and FUSE filesystems may not honour OS locks across clients: refused unless the operator vouches for them. */
  private static void requireReliableLocks(Path directory) {
    if (Boolean.getBoolean(ALLOW_NETWORK_FS)) {
      return;
    }
    String type;
    try {
      type = Files.getFileStore(directory).type().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return; // cannot tell: the lock below still has the kernel's word
    }
    if (type.startsWith("nfs") || type.startsWith("cifs") || type.startsWith("smb") || type.startsWith("fuse")
        || type.equals("9p")) {
      throw new StrataException("alias directory " + directory + " is on a " + type + " filesystem, whose file locks"
          + " a live migration cannot rely on across machines; run the migration where the index is local, or pass -D"
          + ALLOW_NETWORK_FS + "=true if its lock manager is trusted (docs/design/live-migration.md)");
    }
  }

  private static String host() {
    String host = System.getenv("HOSTNAME"); // not a DNS lookup: this machine may have no resolver
    return host == null || host.isBlank() ? "unknown" : host;
  }
}
