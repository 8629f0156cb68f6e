package dev.strata.core.internal.io;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A small text file that is replaced atomically and proves its own integrity: the new content is
 * written to a temporary file and fsynced, renamed over the old one, and the directory fsynced; a
 * trailing CRC-32 line turns a torn or hand-edited file into an error instead of a silent loss. A
 * crash at any point leaves the old content or the new, never neither; a temporary file left by a
 * crash is ignored and overwritten by the next write.
 */
public final class ChecksummedFile {
  private static final String CHECKSUM_PREFIX = "# crc32 ";

  private ChecksummedFile() {}

  /** The body last written to {@code file}; empty when there is none. */
  public static Optional<String> read(Path file, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StrataException("cannot read " + what + " " + file + ": " + e, e);
    }
    int cut = text.lastIndexOf(CHECKSUM_PREFIX);
    if (cut < 0) {
      throw new StrataException(what + " " + file + " has no checksum line: it is damaged");
    }
    String body = text.substring(0, cut);
    String expected = text.substring(cut + CHECKSUM_PREFIX.length()).strip();
    if (!Long.toHexString(crc(body)).equals(expected)) {
      throw new StrataException(what + " " + file + " fails its checksum: it is damaged");
    }
    return Optional.of(body);
  }

  /** The {@code key=value} lines of a body, in order; other lines are ignored. */
  public static java.util.Map<String, String> fields(String body) {
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  private static volatile java.util.function.Consumer<String> steps = step -> {};

  /**
   * For crash-point tests: {@code observer} is told of each step of every write, {@code "staged
   * NAME"} (the new content durable beside the file) and {@code "renamed NAME"} (it replaced the
   * file); a test halts the process at one of them. Not for production use.
   */
  public static void observeSteps(java.util.function.Consumer<String> observer) {
    steps = observer == null ? step -> {} : observer;
  }

  /** Replaces {@code file}'s content with {@code body}, atomically and durably. */
  public static void write(Path file, String body, String what) {
    write(file, body, what, true);
  }

  /**
   * Replaces {@code file}'s content with {@code body} atomically; without {@code durable}, nothing
   * is fsynced, so a power loss may leave the old content or a torn file (which {@link #read}
   * refuses), for records that may lag behind.
   */
  public static void write(Path file, String body, String what, boolean durable) {
    String text = body + CHECKSUM_PREFIX + Long.toHexString(crc(body)) + "\n";
    Path temp = temporaryFileOf(file);
    try {
      try (FileChannel ch = FileChannel.open(
          temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        if (durable) {
          ch.force(true);
        }
      }
      steps.accept("staged " + file.getFileName());
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (durable) {
        fsyncDirectory(file.toAbsolutePath().getParent());
      }
      steps.accept("renamed " + file.getFileName());
    } catch (IOException e) {
      throw new StrataException("cannot write " + what + " " + file + ": " + e, e);
    }
  }

  /** Where {@link #write} stages the new content before the rename. */
  public static Path temporaryFileOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems cannot fsync a directory; the rename itself is still atomic.
    }
  }

  private static long crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
