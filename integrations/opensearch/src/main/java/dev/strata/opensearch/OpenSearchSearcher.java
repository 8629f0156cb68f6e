package dev.strata.opensearch;

import dev.strata.core.Embedder;
import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.Hit;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.SearchResponse;

/**
 * Searches a published index through its alias with the drift guard of a local index: before the
 * first query it reads the {@code _meta.modelFingerprint} of every index behind the alias and
 * refuses if the model is not the caller's; when the alias later moves, the first answer from an
 * index it has not checked is checked the same way before any hit is returned. Scores are on
 * Strata's scale, so a threshold tuned on the local index holds here. Thread-safe.
 *
 * <p>No retries: a failed search throws, and whether to try again is the caller's decision.
 */
public final class OpenSearchSearcher {
  private final OpenSearchClient client;
  private final String alias;
  private final ModelFingerprint model;
  private final Embedder embedder; // null: vector queries only
  private final Map<String, PublishedMeta> checked = new ConcurrentHashMap<>();
  private volatile PublishedMeta current; // the schema of the newest index checked

  private OpenSearchSearcher(OpenSearchClient client, String alias, ModelFingerprint model, Embedder embedder) {
    this.client = client;
    this.alias = alias;
    this.model = model;
    this.embedder = embedder;
    check(alias);
  }

  /** Text and vector queries, embedded by {@code embedder}, whose model the index must have. */
  public static OpenSearchSearcher open(OpenSearchConnection connection, String alias, Embedder embedder) {
    Objects.requireNonNull(embedder, "embedder");
    return new OpenSearchSearcher(connection.client(), alias, embedder.fingerprint(), embedder);
  }

  /** Vector queries only, made by the model {@code model}. */
  public static OpenSearchSearcher open(OpenSearchConnection connection, String alias, ModelFingerprint model) {
    return new OpenSearchSearcher(connection.client(), alias, Objects.requireNonNull(model, "model"), null);
  }

  public PublishedSearchResult search(String text, int k) {
    if (embedder == null) {
      throw new IllegalStateException("this searcher of alias '" + alias + "' has no embedder: open it with one to search by text");
    }
    return search(embedder.embed(text), k, 0);
  }

  /**
   * The {@code k} nearest records to {@code vector}, which must come from this searcher's model.
   *
   * @param efSearch candidates the graph search keeps (more: better recall, slower), or 0 for the
   *     index's default
   */
  public PublishedSearchResult search(float[] vector, int k, int efSearch) {
    if (k < 1 || k > 10_000) {
      throw new IllegalArgumentException("k must be 1 to 10000, got " + k);
    }
    List<Float> query = queryVector(vector, current);
    long start = System.nanoTime();
    SearchResponse<JsonData> response;
    try {
      response = client.search(s -> s
          .index(alias)
          .size(k)
          .source(src -> src.filter(f -> f.excludes(IndexMappings.VECTOR)))
          .query(q -> q.knn(knn -> {
            knn.field(IndexMappings.VECTOR).vector(query).k(k);
            if (efSearch > 0) {
              knn.methodParameters("ef_search", JsonData.of(efSearch));
            }
            return knn;
          })), JsonData.class);
    } catch (IOException | OpenSearchException e) {
      throw new StrataException("search of OpenSearch alias '" + alias + "' failed: " + RemoteRetrier.judge(e).description(), e);
    }
    String answeredBy = null;
    List<org.opensearch.client.opensearch.core.search.Hit<JsonData>> raw = response.hits().hits();
    for (org.opensearch.client.opensearch.core.search.Hit<JsonData> hit : raw) {
      check(hit.index());
      answeredBy = hit.index();
    }
    if (answeredBy == null) {
      answeredBy = checked.size() == 1 ? checked.keySet().iterator().next() : alias;
    }
    PublishedMeta meta = checked.get(answeredBy);
    List<Hit> hits = new ArrayList<>(raw.size());
    for (org.opensearch.client.opensearch.core.search.Hit<JsonData> hit : raw) {
      hits.add(toHit(hit, checked.get(hit.index())));
    }
    return new PublishedSearchResult(answeredBy, meta == null ? 0 : meta.snapshotId(), hits, System.nanoTime() - start);
  }

  /** The query as the local index would take it: right dimension, finite, unit length for dot_product. */
  static List<Float> queryVector(float[] vector, PublishedMeta meta) {
    if (vector.length != meta.dimension()) {
      throw new IllegalArgumentException("query vector has " + vector.length + " dimensions, the index " + meta.dimension());
    }
    double norm = 0;
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("query vector has a non-finite component: " + v);
      }
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    boolean angular = meta.similarity().equals("cosine") || meta.similarity().equals("dot_product");
    if (angular && norm == 0) {
      throw new IllegalArgumentException("query vector is all zeros, which has no direction for " + meta.similarity());
    }
    double scale = 1;
    if (meta.similarity().equals("dot_product")) {
      if (meta.normalize()) {
        scale = 1 / norm;
      } else if (Math.abs(norm - 1) > 1e-3) {
        throw new IllegalArgumentException("query vector has length " + norm + "; dot_product needs unit-length vectors");
      }
    }
    List<Float> query = new ArrayList<>(vector.length);
    for (float v : vector) {
      query.add((float) (v * scale));
    }
    return query;
  }

  /** The manifest of every index this searcher has checked, by index name. */
  public Map<String, PublishedMeta> checkedIndices() {
    return Map.copyOf(checked);
  }

  /** Reads and checks the manifest of each index behind {@code indexOrAlias} not yet checked. */
  private void check(String indexOrAlias) {
    if (checked.containsKey(indexOrAlias)) {
      return;
    }
    Map<String, PublishedMeta> metas;
    try {
      metas = PublishedIndices.metaOf(client, indexOrAlias);
    } catch (IOException | OpenSearchException e) {
      throw new StrataException("cannot read the manifest of OpenSearch index or alias '" + indexOrAlias + "': "
          + RemoteRetrier.judge(e).description(), e);
    } catch (IllegalArgumentException notStrata) {
      throw new StrataException(notStrata.getMessage(), notStrata);
    }
    if (metas.isEmpty()) {
      throw new StrataException("no OpenSearch index behind '" + indexOrAlias + "'");
    }
    metas.forEach((index, meta) -> {
      String recorded = meta.modelFingerprint();
      if (recorded != null && !model.matchesRecorded(recorded)) {
        throw new EmbeddingDriftException(
            "OpenSearch index '" + index + "' (alias '" + alias + "')", recorded, model.encoded(), "search");
      }
      checked.put(index, meta);
      current = meta;
    });
  }

  @SuppressWarnings("unchecked")
  private static Hit toHit(org.opensearch.client.opensearch.core.search.Hit<JsonData> hit, PublishedMeta meta) {
    Map<String, Object> source = hit.source() == null ? Map.of() : (Map<String, Object>) JsonValues.toJava(hit.source().toJson());
    Object metadata = source.get(IndexMappings.METADATA);
    float score = hit.score() == null ? Float.NaN : strataScore(hit.score().floatValue(), meta);
    return new Hit(hit.id(), score, (String) source.get(IndexMappings.TEXT),
        metadata instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : Map.of());
  }

  /**
   * OpenSearch's Lucene engine scores {@code innerproduct} as Lucene's maximum inner product
   * (1 + ip for ip >= 0, 1 / (1 - ip) below); Strata's dot_product is (1 + ip) / 2. The other
   * similarities score alike on both sides.
   */
  static float strataScore(float openSearchScore, PublishedMeta meta) {
    if (meta == null || !"dot_product".equals(meta.similarity())) {
      return openSearchScore;
    }
    double ip = openSearchScore >= 1 ? openSearchScore - 1 : 1 - 1 / (double) openSearchScore;
    return (float) ((1 + ip) / 2);
  }
}
