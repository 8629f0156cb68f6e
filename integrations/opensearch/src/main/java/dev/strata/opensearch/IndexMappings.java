package dev.strata.opensearch;

import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataType;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;

/**
 * The OpenSearch index a snapshot is published into: a {@code knn_vector} with the Lucene engine
 * always named (left out, OpenSearch picks faiss, whose native code a plain distribution may lack),
 * the snapshot's space type and graph parameters, typed metadata, the text stored, and the manifest
 * in {@code _meta}. Strict: a document with a field the mapping does not know is refused.
 */
final class IndexMappings {
  static final String VECTOR = "vector";
  static final String TEXT = "text";
  static final String METADATA = "metadata";
  static final String ENGINE = "lucene";

  private IndexMappings() {}

  /** OpenSearch's name for a similarity; the Lucene engine scores each as Lucene does. */
  static String spaceType(Similarity similarity) {
    return switch (similarity) {
      case COSINE -> "cosinesimil";
      case EUCLIDEAN -> "l2";
      case DOT_PRODUCT, MAX_INNER_PRODUCT -> "innerproduct";
    };
  }

  /**
   * Whether the Lucene engine can keep the snapshot's encoding: float32 as is, int8 as its scalar
   * quantizer ({@code sq}, 7 bits, as Strata's int8). Int4 and binary have no Lucene-engine
   * counterpart in OpenSearch; those publish as float32, which loses no recall but costs memory.
   */
  static boolean encodingKept(VectorEncoding encoding) {
    return encoding == VectorEncoding.FLOAT32 || encoding == VectorEncoding.INT8;
  }

  static CreateIndexRequest create(
      String index, IndexSchema schema, Map<String, MetadataType> fields, PublishedMeta meta, int shards, int replicas) {
    checkFieldNames(fields);
    Map<String, JsonData> parameters = new LinkedHashMap<>();
    parameters.put("m", JsonData.of(schema.hnswM()));
    parameters.put("ef_construction", JsonData.of(schema.hnswBeamWidth()));
    if (schema.encoding() == VectorEncoding.INT8) {
      parameters.put("encoder", JsonData.of(Map.of("name", "sq")));
    }
    Map<String, Property> metadata = new TreeMap<>();
    fields.forEach((name, type) -> metadata.put(name, type == MetadataType.NUMBER
        ? Property.of(p -> p.double_(d -> d))
        : Property.of(p -> p.keyword(k -> k))));
    return CreateIndexRequest.of(c -> c
        .index(index)
        .settings(s -> s
            .knn(true)
            .numberOfShards(shards)
            .numberOfReplicas(replicas)
            // No refreshes while loading: one at the end, before the count is checked.
            .refreshInterval(t -> t.time("-1")))
        .mappings(m -> m
            .dynamic(DynamicMapping.Strict)
            .meta(JsonValues.toJsonData(meta.toJson()))
            .properties(VECTOR, p -> p.knnVector(k -> k
                .dimension(schema.dimension())
                .method(method -> method
                    .name("hnsw")
                    .engine(ENGINE)
                    .spaceType(spaceType(schema.similarity()))
                    .parameters(parameters))))
            .properties(TEXT, p -> p.text(t -> t.store(true)))
            // Metadata may grow fields an older snapshot's type list does not name: map those as
            // OpenSearch would rather than refuse the record.
            .properties(METADATA, p -> p.object(o -> o.dynamic(DynamicMapping.True).properties(metadata)))));
  }

  /** OpenSearch reads dots in field names as object paths: "a" and "a.b" cannot both exist. */
  private static void checkFieldNames(Map<String, MetadataType> fields) {
    for (String name : fields.keySet()) {
      for (String other : fields.keySet()) {
        if (other.startsWith(name + ".")) {
          throw new PublishException(
              "metadata fields '" + name + "' and '" + other + "' cannot both be published: OpenSearch reads the dot in '"
                  + other + "' as a field inside '" + name + "'");
        }
      }
    }
  }
}
