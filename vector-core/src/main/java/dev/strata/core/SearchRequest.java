package dev.strata.core;

import java.util.Objects;

/**
 * A k-nearest-neighbour query.
 *
 * @param vector the query vector, same dimension as the index
 * @param k number of hits wanted
 * @param ef search effort: candidates the HNSW search keeps (at least {@code k}); higher is slower
 *     and finds more of the true nearest neighbours
 * @param filter restricts the search to matching records, or {@code null}
 * @param minScore drops hits scoring below it, or {@code null} for no threshold
 * @param source the model that made the query vector, checked against the index's (drift guard)
 */
public record SearchRequest(
    float[] vector, int k, int ef, MetadataFilter filter, Float minScore, VectorSource source) {

  public static final int DEFAULT_K = 10;
  /** The same default search effort as OpenSearch's k-NN {@code ef_search}. */
  public static final int DEFAULT_EF = 100;

  public static final int MAX_K = 10_000;

  public SearchRequest {
    Objects.requireNonNull(vector, "vector");
    vector = vector.clone();
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "], got " + k);
    }
    if (ef < k || ef > MAX_K) {
      throw new IllegalArgumentException(
          "ef must be in [k=" + k + ", " + MAX_K + "], got " + ef);
    }
    Objects.requireNonNull(source, "source");
    if (minScore != null && !Float.isFinite(minScore)) {
      throw new IllegalArgumentException("minScore must be finite, got " + minScore);
    }
  }

  public static Builder builder(float[] vector) {
    return new Builder(vector);
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** Builds a request; unset effort defaults to {@code max(k, DEFAULT_EF)}. */
  public static final class Builder {
    private final float[] vector;
    private int k = DEFAULT_K;
    private Integer ef;
    private MetadataFilter filter;
    private Float minScore;
    private VectorSource source = VectorSource.UNSTATED;

    private Builder(float[] vector) {
      this.vector = vector;
    }

    public Builder k(int k) {
      this.k = k;
      return this;
    }

    public Builder ef(int ef) {
      this.ef = ef;
      return this;
    }

    public Builder filter(MetadataFilter filter) {
      this.filter = filter;
      return this;
    }

    public Builder minScore(float minScore) {
      this.minScore = minScore;
      return this;
    }

    /** The model that made the query vector; needed when the index has a model fingerprint. */
    public Builder source(VectorSource source) {
      this.source = source;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(
          vector, k, ef != null ? ef : Math.max(k, DEFAULT_EF), filter, minScore, source);
    }
  }
}
