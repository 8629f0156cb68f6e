package dev.strata.core.snapshot;

import dev.strata.core.StrataException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first entry of a snapshot archive: what the archive holds, each file's size and SHA-256, and
 * a SHA-256 of the manifest itself on its last line, so a damaged manifest is caught too.
 *
 * @param snapshotId the snapshot the archive restores
 * @param baseSnapshotId for an incremental archive, the snapshot whose files it leaves out; else 0
 * @param files every file of the snapshot: name to "size sha256"
 * @param included the files that are in this archive (all of them unless incremental)
 * @param tags the tags that named the snapshot where it was exported; import restores them
 */
public record ArchiveManifest(
    long snapshotId, long baseSnapshotId, Map<String, String> files, java.util.Set<String> included,
    java.util.List<String> tags) {
  public static final String ENTRY = "STRATA-ARCHIVE-MANIFEST";
  static final String FORMAT = "strata-archive/1";
  private static final String SELF = "manifest-sha256=";

  /** The manifest as the archive's text entry. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    sb.append("format=").append(FORMAT).append('\n');
    sb.append("snapshot=").append(snapshotId).append('\n');
    sb.append("base=").append(baseSnapshotId).append('\n');
    if (!tags.isEmpty()) {
      sb.append("tags=").append(String.join(",", tags)).append('\n');
    }
    files.forEach((name, sizeAndHash) ->
        sb.append(included.contains(name) ? "file=" : "base-file=").append(name).append(' ').append(sizeAndHash).append('\n'));
    return sb + SELF + sha256(sb.toString()) + "\n";
  }

  /** Reads {@link #encode()} back; an {@link IllegalArgumentException} names a missing or bad field. */
  public static ArchiveManifest decode(String text) {
    int self = text.lastIndexOf(SELF);
    if (self < 0 || !sha256(text.substring(0, self)).equals(text.substring(self + SELF.length()).strip())) {
      throw new StrataException("archive manifest is damaged (its own checksum does not match)");
    }
    Map<String, String> props = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    java.util.Set<String> included = new java.util.LinkedHashSet<>();
    for (String line : text.substring(0, self).split("\n")) {
      int eq = line.indexOf('=');
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("file") || key.equals("base-file")) {
        int space = value.indexOf(' ');
        files.put(value.substring(0, space), value.substring(space + 1));
        if (key.equals("file")) {
          included.add(value.substring(0, space));
        }
      } else {
        props.put(key, value);
      }
    }
    if (!FORMAT.equals(props.get("format"))) {
      throw new StrataException("not a Strata snapshot archive (format " + props.get("format") + ", expected " + FORMAT + ")");
    }
    String tags = props.get("tags"); // absent in archives written before tags travelled
    return new ArchiveManifest(Long.parseLong(props.get("snapshot")), Long.parseLong(props.get("base")), files, included,
        tags == null || tags.isEmpty() ? java.util.List.of() : java.util.List.of(tags.split(",")));
  }

  static String sha256(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
