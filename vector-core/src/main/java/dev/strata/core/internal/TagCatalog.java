package dev.strata.core.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Tags (mutable names for snapshots) in one small {@link ChecksummedFile} beside the index's
 * segments: replaced atomically, and a torn or edited file is an error, never a silent loss of
 * tags (a lost tag would let retention delete a snapshot an operator meant to keep).
 */
public final class TagCatalog {
  public static final String FILE = "strata-tags.txt";
  public static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

  private TagCatalog() {}

  /** Tag to snapshot id; empty when there is no catalog yet. */
  public static synchronized Map<String, Long> read(Path indexDir) {
    Map<String, Long> tags = new TreeMap<>();
    String body = ChecksummedFile.read(indexDir.resolve(FILE), "tag catalog").orElse("");
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
    ChecksummedFile.write(indexDir.resolve(FILE), body.toString(), "tag catalog");
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
