package dev.strata.core.internal.records;

import dev.strata.core.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/**
 * The record digest: an order-independent fingerprint of every live record (id, vector, text,
 * metadata), so two copies of an index can be proven to hold the same records. Each record's
 * 64-bit hash is stored with it as a doc value when it is written; the digest is their sum
 * (mod 2^64), which does not depend on order or on how records fall into segments.
 *
 * <p>Segments never change, only their deletions do, so the partial sum of each (segment,
 * deletion generation) is cached: a commit adds up only the segments that are new or lost
 * records since the last one, not the whole index.
 */
public final class RecordDigests {
  public static final String HASH_FIELD = "_hash";

  private final Map<String, Long> partialSums = new HashMap<>();

  /** The failure for a segment written before records carried their id and hash: an upgrade rewrites it. */
  public static IllegalStateException segmentWithoutHashes(Object segment) {
    return new IllegalStateException("segment " + segment + " keeps no per-record ids and hashes (written by an older"
        + " version): upgrade the index first ('index-admin upgrade')");
  }

  /** The 64-bit hash of one record as stored: its canonical bytes through SHA-256. */
  public static long hash(String id, float[] vector, String text, Map<String, Object> metadata) {
    return hash(id, vector, text, metadata, null);
  }

  /**
   * The hash of a record's content and its source label: a label is part of what a record is
   * (re-labelling it is a change a diff, a revert and a migration's catch-up must see); a record
   * without one hashes as it did before labels existed.
   */
  public static long hash(String id, float[] vector, String text, Map<String, Object> metadata, String source) {
    MessageDigest sha = sha256();
    update(sha, id.getBytes(StandardCharsets.UTF_8));
    ByteBuffer floats = ByteBuffer.allocate(vector.length * Float.BYTES);
    for (float f : vector) {
      floats.putInt(Float.floatToIntBits(f));
    }
    update(sha, floats.array());
    sha.update((byte) (text == null ? 0 : 1));
    if (text != null) {
      update(sha, text.getBytes(StandardCharsets.UTF_8));
    }
    for (Map.Entry<String, Object> e : new TreeMap<>(metadata).entrySet()) {
      update(sha, e.getKey().getBytes(StandardCharsets.UTF_8));
      if (e.getValue() instanceof Number n) {
        sha.update((byte) 'n');
        update(sha, ByteBuffer.allocate(Double.BYTES).putLong(Double.doubleToLongBits(n.doubleValue())).array());
      } else {
        sha.update((byte) 's');
        update(sha, e.getValue().toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (source != null) {
      sha.update((byte) 'S');
      update(sha, source.getBytes(StandardCharsets.UTF_8));
    }
    return ByteBuffer.wrap(sha.digest()).getLong();
  }

  public static long hash(Record record) {
    return hash(record.id(), record.vector(), record.text(), record.metadata(), record.source());
  }

  public static String format(long digest) {
    return HexFormat.of().toHexDigits(digest);
  }

  /** The digest of every live record {@code reader} sees, reusing sums of unchanged segments. */
  public synchronized long digest(DirectoryReader reader) throws IOException {
    Map<String, Long> current = new HashMap<>();
    long digest = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      String key = SegmentKey.of(leaf.reader());
      Long sum = key == null ? null : partialSums.get(key);
      if (sum == null) {
        sum = sumOf(leaf.reader());
      }
      if (key != null) {
        current.put(key, sum);
      }
      digest += sum;
    }
    partialSums.clear();
    partialSums.putAll(current);
    return digest;
  }

  /**
   * Forgets every cached sum: after a rollback the writer hands out the same segment names and
   * deletion generations again for other deletions, so a key no longer identifies a sum.
   */
  public synchronized void forget() {
    partialSums.clear();
  }

  /** Sum of the stored hashes of a segment's live documents. */
  public static long sumOf(LeafReader reader) throws IOException {
    NumericDocValues hashes = reader.getNumericDocValues(HASH_FIELD);
    if (hashes == null) {
      return 0;
    }
    Bits live = reader.getLiveDocs();
    long sum = 0;
    for (int doc = hashes.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = hashes.nextDoc()) {
      if (live == null || live.get(doc)) {
        sum += hashes.longValue();
      }
    }
    return sum;
  }

  private static void update(MessageDigest sha, byte[] part) {
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
    sha.update(part);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
