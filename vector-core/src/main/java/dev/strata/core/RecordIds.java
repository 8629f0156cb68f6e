package dev.strata.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Record ids derived from content, so that ingesting the same document twice leaves one record:
 * the id is a UUID made from the SHA-256 of the text and metadata (keys sorted, numbers by value),
 * or of a caller's own key. Formatted as a UUID (version 8, RFC 9562) because LangChain4j and
 * Spring AI stores expect ids of that shape.
 *
 * <p>Two documents with the same text and metadata get the same id, and are one record: if that is
 * not meant (the same paragraph in two files), put what tells them apart in the metadata (a source
 * path) or pass a key.
 */
public final class RecordIds {
  private RecordIds() {}

  /** The id of a text with its metadata. */
  public static String fromContent(String text, Map<String, ?> metadata) {
    MessageDigest sha = sha256();
    part(sha, "text", text);
    for (Map.Entry<String, ?> e : new TreeMap<String, Object>(metadata == null ? Map.of() : metadata).entrySet()) {
      Object value = e.getValue();
      part(sha, "key", e.getKey());
      part(sha, value instanceof Number ? "number" : "string",
          value instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(value));
    }
    return uuid(sha.digest());
  }

  /** The id of a vector with no text (an embedding added alone): its exact float bits. */
  public static String fromVector(float[] vector) {
    MessageDigest sha = sha256();
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES);
    for (float f : vector) {
      bytes.putInt(Float.floatToIntBits(f));
    }
    sha.update("vector".getBytes(StandardCharsets.UTF_8));
    sha.update(bytes.array());
    return uuid(sha.digest());
  }

  /** The id of a caller's own key (a URL, a database key, a file path and chunk number). */
  public static String fromKey(String key) {
    MessageDigest sha = sha256();
    part(sha, "key-only", key);
    return uuid(sha.digest());
  }

  private static void part(MessageDigest sha, String kind, String value) {
    byte[] k = kind.getBytes(StandardCharsets.UTF_8);
    byte[] v = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    // Length-prefixed, so that ("ab", "c") and ("a", "bc") never hash alike.
    sha.update(ByteBuffer.allocate(8).putInt(k.length).putInt(value == null ? -1 : v.length).array());
    sha.update(k);
    sha.update(v);
  }

  private static String uuid(byte[] digest) {
    ByteBuffer b = ByteBuffer.wrap(digest);
    long high = (b.getLong() & ~0xF000L) | 0x8000L; // version 8
    long low = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // RFC 9562 variant
    return new UUID(high, low).toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
