package dev.strata.opensearch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.indices.get_mapping.IndexMappingRecord;

/** Reads what the cluster holds: where an alias points, and the Strata manifest of an index. */
final class PublishedIndices {
  private PublishedIndices() {}

  /** The indices {@code alias} points to, sorted; empty when no such alias exists. */
  static List<String> aliasTargets(OpenSearchClient client, String alias) throws IOException {
    if (!client.indices().existsAlias(e -> e.name(alias)).value()) {
      return List.of();
    }
    return client.indices().getAlias(g -> g.name(alias)).result().keySet().stream().sorted().toList();
  }

  static boolean exists(OpenSearchClient client, String indexOrAlias) throws IOException {
    return client.indices().exists(e -> e.index(indexOrAlias)).value();
  }

  /**
   * The manifest of each concrete index behind {@code indexOrAlias}, by index name.
   *
   * @throws IllegalArgumentException when one was not published by Strata
   */
  static Map<String, PublishedMeta> metaOf(OpenSearchClient client, String indexOrAlias) throws IOException {
    Map<String, PublishedMeta> metas = new TreeMap<>();
    for (Map.Entry<String, IndexMappingRecord> e : client.indices().getMapping(g -> g.index(indexOrAlias)).result().entrySet()) {
      metas.put(e.getKey(), PublishedMeta.fromJson(e.getKey(), JsonValues.toMap(e.getValue().mappings().meta())));
    }
    return metas;
  }
}
