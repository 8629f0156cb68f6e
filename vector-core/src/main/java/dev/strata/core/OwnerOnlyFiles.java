package dev.strata.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Strata writes holds the corpus' texts (support tickets, in the incident Strata was born
 * from), so it creates it for its owner only, as PostgreSQL insists on for its data directory:
 * directories {@code 0700}, files {@code 0600}. With {@code -D}{@value #SHARE_WITH_GROUP}{@code
 * =true} they are {@code 0750} and {@code 0640} instead, for a group of services that read one
 * index (put them in the directory's group). The umask can only take bits away. Files Lucene
 * writes inside an index directory keep the umask's mode: the directory's mode is what guards them.
 * On filesystems without POSIX permissions (Windows) the platform's defaults apply.
 */
public final class OwnerOnlyFiles {
  /** The system property that opens what Strata creates to its group (read, not write). */
  public static final String SHARE_WITH_GROUP = "strata.files.shareWithGroup";

  private OwnerOnlyFiles() {}

  /** Creates {@code dir} and any missing parents with the directory mode; existing ones are left as they are. */
  public static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    List<Path> missing = new ArrayList<>();
    for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(0, p);
    }
    for (Path p : missing) {
      try {
        shareIfAsked(Files.createDirectory(p, directoryMode()), true);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          throw e;
        }
      }
    }
    return dir;
  }

  /**
   * A stricter umask (077) would take back the group bits the operator asked for; set them
   * explicitly. Owner-only needs nothing: the umask can only take bits away.
   */
  private static Path shareIfAsked(Path created, boolean directory) throws IOException {
    if (shared() && posix()) {
      Files.setPosixFilePermissions(created, PosixFilePermissions.fromString(directory ? "rwxr-x---" : "rw-r-----"));
    }
    return created;
  }

  /** Creates the one directory {@code dir} (its parent must exist) with the directory mode. */
  public static Path createDirectory(Path dir) throws IOException {
    return shareIfAsked(Files.createDirectory(dir, directoryMode()), true);
  }

  /**
   * A new file at {@code file}, created with the file mode; a regular file there is replaced
   * (removed first, so its mode does not carry over); a symbolic link, FIFO or device is written
   * through as the caller named it; a directory is refused.
   */
  public static OutputStream newOutputStream(Path file) throws IOException {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileSystemException(file.toString(), null, "Is a directory"); // never removed
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Files.newOutputStream(file); // a link, a FIFO, a device (/dev/stderr): written through, as named
    }
    Files.deleteIfExists(file);
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, options, fileMode()));
    shareIfAsked(file, false);
    return out;
  }

  /**
   * Why others than the owner (and, when shared, its group) could change {@code path}: its mode
   * lets group or others write, or {@code others} write when shared; empty when they cannot, or
   * where the filesystem has no POSIX permissions.
   */
  public static Optional<String> writableByOthers(Path path) throws IOException {
    if (!posix()) {
      return Optional.empty();
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    boolean groupWrites = mode.contains(PosixFilePermission.GROUP_WRITE);
    boolean othersWrite = mode.contains(PosixFilePermission.OTHERS_WRITE);
    if (!groupWrites && !othersWrite) {
      return Optional.empty();
    }
    return Optional.of(path + " is writable by " + (othersWrite ? "every user" : "its group") + " (mode "
        + PosixFilePermissions.toString(mode) + "): they could change or delete what it holds; chmod go-w it");
  }

  private static FileAttribute<?>[] directoryMode() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(shared()
        ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE)
        : EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] fileMode() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(shared()
        ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ)
        : EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
        : new FileAttribute<?>[0];
  }

  private static boolean shared() {
    return Boolean.getBoolean(SHARE_WITH_GROUP);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
