package dev.strata.core.internal.catalog;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorEncoding;
import dev.strata.core.internal.records.MetadataTypes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The manifest Strata keeps in each Lucene commit's user data: the schema, the snapshot
 * descriptor and the metadata field types. Keeping it in the commit makes it atomic with the data
 * it describes: there is no side file that a crash could leave out of step.
 */
public final class CommitData {
  private static final int MAX_MESSAGE_CHARS = 4096;

  /** The commit message to record ("" for none), once it and the source digest are checked. */
  public static String checkedMessage(String message, String sourceSha256) {
    if (sourceSha256 != null && !sourceSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sourceSha256 must be 64 lower-case hex digits, got '" + sourceSha256 + "'");
    }
    String text = message == null ? "" : message;
    if (text.length() > MAX_MESSAGE_CHARS) {
      throw new IllegalArgumentException(
          "commit message is " + text.length() + " chars, limit is " + MAX_MESSAGE_CHARS);
    }
    return text;
  }

  static final String FORMAT = "strata.format";
  static final String FORMAT_VERSION = "1";
  static final String DIMENSION = "schema.dimension";
  static final String SIMILARITY = "schema.similarity";
  static final String ENCODING = "schema.encoding";
  static final String HNSW_M = "schema.hnswM";
  static final String HNSW_BEAM = "schema.hnswBeamWidth";
  static final String NORMALIZE = "schema.normalize";
  static final String FINGERPRINT = "schema.modelFingerprint";
  /** Absent in indexes written before full-text search existed: their texts are not indexed. */
  static final String FULL_TEXT = "schema.fullText";
  static final String SNAPSHOT_ID = "snapshot.id";
  static final String SNAPSHOT_PARENT = "snapshot.parent";
  static final String SNAPSHOT_CREATED = "snapshot.createdAt";
  static final String SNAPSHOT_LIVE = "snapshot.liveCount";
  static final String SNAPSHOT_MESSAGE = "snapshot.message";
  static final String METADATA_TYPES = "metadata.types";
  static final String SNAPSHOT_DIGEST = "snapshot.recordDigest";
  static final String SNAPSHOT_SOURCE = "snapshot.sourceSha256";
  /** Tags the catalog held when the commit was made; absent when there was no catalog. */
  static final String TAG_COUNT = "tags.count";

  private CommitData() {}

  public static Map<String, String> encode(
      IndexSchema schema, SnapshotInfo snapshot, MetadataTypes types) {
    Map<String, String> data = new HashMap<>();
    data.put(FORMAT, FORMAT_VERSION);
    data.put(DIMENSION, Integer.toString(schema.dimension()));
    data.put(SIMILARITY, schema.similarity().externalName());
    data.put(ENCODING, schema.encoding().externalName());
    data.put(HNSW_M, Integer.toString(schema.hnswM()));
    data.put(HNSW_BEAM, Integer.toString(schema.hnswBeamWidth()));
    data.put(NORMALIZE, Boolean.toString(schema.normalize()));
    if (schema.modelFingerprint() != null) {
      data.put(FINGERPRINT, schema.modelFingerprint());
    }
    data.put(FULL_TEXT, Boolean.toString(schema.fullText()));
    data.put(SNAPSHOT_ID, Long.toString(snapshot.id()));
    data.put(SNAPSHOT_PARENT, Long.toString(snapshot.parentId()));
    data.put(SNAPSHOT_CREATED, snapshot.createdAt().toString());
    data.put(SNAPSHOT_LIVE, Long.toString(snapshot.liveCount()));
    data.put(SNAPSHOT_MESSAGE, snapshot.message());
    if (snapshot.recordDigest() != null) {
      data.put(SNAPSHOT_DIGEST, snapshot.recordDigest());
    }
    if (snapshot.sourceSha256() != null) {
      data.put(SNAPSHOT_SOURCE, snapshot.sourceSha256());
    }
    data.put(METADATA_TYPES, types.encode());
    WriterIdentity.writeTo(data);
    return data;
  }

  /** Who made the commit, or null for a commit made before Strata recorded writers. */
  public static dev.strata.core.SnapshotWriter writer(Map<String, String> data) {
    return WriterIdentity.readFrom(data);
  }

  /** Whether a commit was written by Strata at all. */
  public static boolean isStrataCommit(Map<String, String> data) {
    return data.containsKey(FORMAT);
  }

  public static IndexSchema schema(Map<String, String> data) {
    requireFormat(data);
    return IndexSchema.builder(
            Integer.parseInt(require(data, DIMENSION)),
            Similarity.parse(require(data, SIMILARITY)))
        .encoding(VectorEncoding.parse(require(data, ENCODING)))
        .hnswM(Integer.parseInt(require(data, HNSW_M)))
        .hnswBeamWidth(Integer.parseInt(require(data, HNSW_BEAM)))
        .normalize(Boolean.parseBoolean(require(data, NORMALIZE)))
        .modelFingerprint(data.get(FINGERPRINT))
        .fullText(Boolean.parseBoolean(data.get(FULL_TEXT)))
        .build();
  }

  public static SnapshotInfo snapshot(Map<String, String> data) {
    requireFormat(data);
    return new SnapshotInfo(
        Long.parseLong(require(data, SNAPSHOT_ID)),
        Long.parseLong(require(data, SNAPSHOT_PARENT)),
        Instant.parse(require(data, SNAPSHOT_CREATED)),
        Long.parseLong(require(data, SNAPSHOT_LIVE)),
        data.getOrDefault(SNAPSHOT_MESSAGE, ""),
        data.get(SNAPSHOT_DIGEST),
        data.get(SNAPSHOT_SOURCE));
  }

  /** {@code data} with the number of tags the index's catalog holds. */
  static Map<String, String> withTagCount(Map<String, String> data, int tags) {
    data.put(TAG_COUNT, Integer.toString(tags));
    return data;
  }

  /** How many tags the catalog held at this commit; 0 when it recorded none or there was no catalog. */
  public static int recordedTagCount(Map<String, String> data) {
    String count = data.get(TAG_COUNT);
    return count == null ? 0 : Integer.parseInt(count);
  }

  public static MetadataTypes metadataTypes(Map<String, String> data) {
    return MetadataTypes.decode(data.get(METADATA_TYPES));
  }

  private static void requireFormat(Map<String, String> data) {
    String format = data.get(FORMAT);
    if (!FORMAT_VERSION.equals(format)) {
      throw new IllegalStateException(
          "unsupported Strata commit format " + format + "; this version reads " + FORMAT_VERSION);
    }
  }

  private static String require(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalStateException("commit data lacks '" + key + "'");
    }
    return value;
  }
}
