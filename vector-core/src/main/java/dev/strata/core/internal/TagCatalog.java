package dev.strata.core.internal;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Tags (mutable names for snapshots) in one small file beside the index's segments. Written
 * atomically: a temporary file is written and fsynced, renamed over the old one, and the
 * directory fsynced; a checksum line makes a torn or edited file an error, never a silent loss of
 * tags (a lost tag would let retention delete a snapshot an operator meant to keep).
 */
public final class TagCatalog {
  public static final String FILE = "strata-tags.txt";
  public static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
  private static final String CHECKSUM_PREFIX = "# crc32 ";

  private TagCatalog() {}

  /** Tag to snapshot id; empty when there is no catalog yet. */
  public static synchronized Map<String, Long> read(Path indexDir) {
    Path file = indexDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw new StrataException("cannot read tag catalog " + file + ": " + e, e);
    }
    int cut = text.lastIndexOf(CHECKSUM_PREFIX);
    if (cut < 0) {
      throw new StrataException("tag catalog " + file + " has no checksum line: it is damaged");
    }
    String body = text.substring(0, cut);
    String expected = text.substring(cut + CHECKSUM_PREFIX.length()).strip();
    if (!Long.toHexString(crc(body)).equals(expected)) {
      throw new StrataException("tag catalog " + file + " fails its checksum: it is damaged");
    }
    Map<String, Long> tags = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      tags.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
    }
    return tags;
  }

  public static synchronized void write(Path indexDir, Map<String, Long> tags) {
    StringBuilder body = new StringBuilder();
    new TreeMap<>(tags).forEach((tag, id) -> body.append(tag).append('=').append(id).append('\n'));
    String text = body + CHECKSUM_PREFIX + Long.toHexString(crc(body.toString())) + "\n";
    Path file = indexDir.resolve(FILE);
    Path temp = indexDir.resolve(FILE + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(indexDir, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        // Some filesystems cannot fsync a directory; the rename itself is still atomic.
      }
    } catch (IOException e) {
      throw new StrataException("cannot write tag catalog " + file + ": " + e, e);
    }
  }

  public static void checkTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("tag '" + tag + "' must match " + TAG.pattern());
    }
    if (tag.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("tag '" + tag + "' is all digits: it would read as a snapshot id");
    }
  }

  private static long crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
