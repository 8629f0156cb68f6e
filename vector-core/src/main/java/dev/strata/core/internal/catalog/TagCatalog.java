package dev.strata.core.internal.catalog;

import dev.strata.core.StrataException;
import dev.strata.core.internal.io.ChecksummedFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Tags (mutable names for snapshots) in one small {@link ChecksummedFile} beside the index's
 * segments: replaced atomically, and a torn or edited file is an error, never a silent loss of
 * tags (a lost tag would let retention delete a snapshot an operator meant to keep).
 *
 * <p>Every change is written twice, to {@value #FILE} and then to {@value #MIRROR}: a deleted
 * catalog is read from its mirror (with an error logged, and {@code verify} failing) so a tag
 * protects its snapshot from the moment it is set, not only once a commit has recorded that tags
 * exist. A crash between the two writes leaves the mirror one change behind, which matters only if
 * the catalog is then lost too.
 */
public final class TagCatalog {
  public static final String FILE = "strata-tags.txt";
  public static final String MIRROR = "strata-tags.mirror.txt";
  /** Held while a tag changes: two processes tagging at once must not both read N tags and write N + 1. */
  static final String LOCK_FILE = "strata-tags.lock";
  public static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

  private TagCatalog() {}

  /**
   * {@code commitData} with the number of tags the catalog holds now, when it holds any: a later
   * reader knows they existed, so a deleted catalog is noticed rather than read as "no tags".
   */
  public static Map<String, String> recordIn(Map<String, String> commitData, Path indexDir) {
    int tags = read(indexDir).size();
    return tags == 0 ? commitData : CommitData.withTagCount(commitData, tags);
  }

  /** Whether the index has a tag catalog at all (it appears with the first tag), or its mirror. */
  public static boolean exists(Path indexDir) {
    return java.nio.file.Files.exists(indexDir.resolve(FILE)) || java.nio.file.Files.exists(indexDir.resolve(MIRROR));
  }

  /** Why the catalog is not as written, when its file is missing though its mirror or a commit says tags exist. */
  public static java.util.Optional<String> missingFile(Path indexDir, Map<String, String> commitData) {
    if (java.nio.file.Files.exists(indexDir.resolve(FILE))) {
      return java.util.Optional.empty();
    }
    if (java.nio.file.Files.exists(indexDir.resolve(MIRROR))) {
      return java.util.Optional.of(FILE + " is missing; its mirror " + MIRROR + " holds the tags (retention keeps"
          + " what they protect; the next tag change rewrites it, or copy the mirror back)");
    }
    int recorded = CommitData.recordedTagCount(commitData);
    return recorded == 0 ? java.util.Optional.empty() : java.util.Optional.of("the snapshot recorded " + recorded
        + " tags, but " + FILE + " and its mirror are missing: restore it from a backup (retention deletes no snapshot"
        + " meanwhile)");
  }

  /**
   * The catalog may not be read as empty when {@code latestCommitData} recorded tags: a deleted
   * catalog is damage, and retention must not take the snapshots it protected for "untagged".
   */
  private static boolean missingThough(Path indexDir, Map<String, String> latestCommitData) {
    return CommitData.recordedTagCount(latestCommitData) > 0 && !exists(indexDir);
  }

  /** Logs an error when {@link #missingThough}: retention then keeps every snapshot until it is restored. */
  static void warnIfMissing(Path indexDir, Map<String, String> latestCommitData) {
    if (missingThough(indexDir, latestCommitData)) {
      System.getLogger(TagCatalog.class.getName()).log(System.Logger.Level.ERROR, "index " + indexDir + ": its tag"
          + " catalog " + FILE + " is missing, though snapshot " + CommitData.snapshot(latestCommitData).id()
          + " recorded " + CommitData.recordedTagCount(latestCommitData) + " tags; retention keeps every snapshot"
          + " until it is restored (verify lists it)");
    }
  }

  /** Tag to snapshot id; empty when there is no catalog yet. */
  public static synchronized Map<String, Long> read(Path indexDir) {
    Map<String, Long> tags = new TreeMap<>();
    String body;
    try {
      java.util.Optional<String> primary = ChecksummedFile.read(indexDir.resolve(FILE), "tag catalog");
      if (primary.isEmpty()) {
        primary = ChecksummedFile.read(indexDir.resolve(MIRROR), "tag catalog mirror");
        if (primary.isPresent()) {
          System.getLogger(TagCatalog.class.getName()).log(System.Logger.Level.ERROR, "index " + indexDir + ": "
              + FILE + " is missing; its tags are read from " + MIRROR + " (verify reports it)");
        }
      }
      body = primary.orElse("");
    } catch (StrataException e) {
      // Read as "no tags", it would let retention delete the snapshots the tags protect.
      throw new dev.strata.core.IndexDamagedException(indexDir, e.getMessage() + "; restore " + FILE
          + " from a backup (no writer opens and no snapshot is deleted until then)");
    }
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      tags.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
    }
    return tags;
  }

  /**
   * Reads the catalog, applies {@code change}, and writes it back, all under a file lock that
   * excludes other processes (the class's monitor excludes this one's other threads, since Java
   * refuses overlapping file locks within a process).
   */
  public static synchronized void update(Path indexDir, Consumer<Map<String, Long>> change) {
    try (FileChannel channel = FileChannel.open(indexDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Map<String, Long> tags = read(indexDir);
      change.accept(tags);
      write(indexDir, tags);
    } catch (IOException e) {
      throw new StrataException("cannot lock the tag catalog of index " + indexDir + ": " + e, e);
    }
  }

  public static synchronized void write(Path indexDir, Map<String, Long> tags) {
    StringBuilder body = new StringBuilder();
    new TreeMap<>(tags).forEach((tag, id) -> body.append(tag).append('=').append(id).append('\n'));
    ChecksummedFile.write(indexDir.resolve(FILE), body.toString(), "tag catalog");
    ChecksummedFile.write(indexDir.resolve(MIRROR), body.toString(), "tag catalog mirror");
  }

  public static void checkTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("tag '" + tag + "' must match " + TAG.pattern());
    }
    if (tag.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("tag '" + tag + "' is all digits: it would read as a snapshot id");
    }
  }

}
