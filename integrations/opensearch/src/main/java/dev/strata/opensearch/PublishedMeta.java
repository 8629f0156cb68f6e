package dev.strata.opensearch;

import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataType;
import dev.strata.core.SnapshotInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot manifest a published index carries in its mapping's {@code _meta}: which snapshot
 * it holds, from which model, with what digest and schema. Searchers check {@code modelFingerprint}
 * from here before their first query; {@code publish --verify-only} compares the rest.
 *
 * @param modelFingerprint the model the vectors come from, or null when the index does not know it
 * @param normalize whether dot_product query vectors are scaled to unit length (else they must be)
 * @param metadataFields the type of each metadata field, as the published mapping has it
 */
public record PublishedMeta(
    long snapshotId,
    String recordDigest,
    long liveCount,
    String modelFingerprint,
    int dimension,
    String similarity,
    String encoding,
    int hnswM,
    int hnswBeamWidth,
    boolean normalize,
    String sourceIndex,
    String publishedAt,
    Map<String, String> metadataFields) {

  /** Bumped when the layout of published indexes changes; searchers refuse formats they do not know. */
  public static final int FORMAT = 1;

  public PublishedMeta {
    metadataFields = Map.copyOf(metadataFields);
  }

  static PublishedMeta of(
      SnapshotInfo snapshot, IndexSchema schema, Map<String, MetadataType> fields, String sourceIndex, String publishedAt) {
    Map<String, String> types = new TreeMap<>();
    fields.forEach((name, type) -> types.put(name, type.externalName()));
    return new PublishedMeta(
        snapshot.id(), snapshot.recordDigest(), snapshot.liveCount(), schema.modelFingerprint(), schema.dimension(),
        schema.similarity().externalName(), schema.encoding().externalName(), schema.hnswM(), schema.hnswBeamWidth(),
        schema.normalize(), sourceIndex, publishedAt, types);
  }

  /** The {@code _meta} object, field names as operators' scripts read them. */
  Map<String, Object> toJson() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("dimension", dimension);
    schema.put("similarity", similarity);
    schema.put("encoding", encoding);
    schema.put("hnswM", hnswM);
    schema.put("hnswBeamWidth", hnswBeamWidth);
    schema.put("normalize", normalize);
    schema.put("metadataFields", new TreeMap<>(metadataFields));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("strataFormat", FORMAT);
    meta.put("snapshotId", snapshotId);
    if (recordDigest != null) {
      meta.put("recordDigest", recordDigest);
    }
    meta.put("liveCount", liveCount);
    if (modelFingerprint != null) {
      meta.put("modelFingerprint", modelFingerprint);
    }
    meta.put("schema", schema);
    meta.put("sourceIndex", sourceIndex);
    meta.put("publishedAt", publishedAt);
    return meta;
  }

  /**
   * Reads {@code _meta} back.
   *
   * @throws IllegalArgumentException when it is not a Strata manifest of a known format
   */
  @SuppressWarnings("unchecked")
  static PublishedMeta fromJson(String index, Map<String, Object> meta) {
    if (meta == null || !(meta.get("strataFormat") instanceof Number format)) {
      throw new IllegalArgumentException("index '" + index + "' was not published by Strata (its mapping has no _meta.strataFormat)");
    }
    if (format.intValue() != FORMAT) {
      throw new IllegalArgumentException(
          "index '" + index + "' was published in Strata format " + format + "; this version reads format " + FORMAT);
    }
    Map<String, Object> schema = (Map<String, Object>) meta.getOrDefault("schema", Map.of());
    Map<String, String> fields = new TreeMap<>();
    ((Map<String, Object>) schema.getOrDefault("metadataFields", Map.of())).forEach((k, v) -> fields.put(k, String.valueOf(v)));
    return new PublishedMeta(
        number(meta, "snapshotId", index).longValue(),
        (String) meta.get("recordDigest"),
        number(meta, "liveCount", index).longValue(),
        (String) meta.get("modelFingerprint"),
        number(schema, "dimension", index).intValue(),
        (String) schema.get("similarity"),
        (String) schema.get("encoding"),
        number(schema, "hnswM", index).intValue(),
        number(schema, "hnswBeamWidth", index).intValue(),
        Boolean.TRUE.equals(schema.get("normalize")),
        (String) meta.get("sourceIndex"),
        (String) meta.get("publishedAt"),
        fields);
  }

  private static Number number(Map<String, Object> map, String key, String index) {
    if (map.get(key) instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("index '" + index + "' has a Strata _meta without a numeric '" + key + "'");
  }
}
