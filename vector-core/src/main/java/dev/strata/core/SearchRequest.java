package dev.strata.core;

import java.util.Objects;

/**
 * A search: by vector (k nearest neighbours), by text (BM25 over the records' texts), or by both
 * (hybrid: the two ranked lists merged by a {@link Fusion}).
 *
 * @param vector the query vector, same dimension as the index, or {@code null} for a text-only search
 * @param k number of hits wanted
 * @param ef search effort: candidates the HNSW search keeps (at least {@code k}); higher is slower
 *     and finds more of the true nearest neighbours. In a hybrid search, also how many hits of each
 *     list are fused.
 * @param filter restricts the search to matching records, or {@code null}
 * @param minScore drops hits scoring below it, or {@code null} for no threshold. In a hybrid search
 *     it applies to the vector hits' own scores, before fusion.
 * @param source the model that made the query vector, checked against the index's (drift guard)
 * @param exact score every stored vector instead of searching the graph: slower, but the true
 *     nearest neighbours (ground truth, small indexes, recall checks)
 * @param text the query text for BM25, or {@code null} for a vector-only search
 * @param fusion how a hybrid search merges its lists
 * @param idsOnly hits carry only their id and score ({@link Hit#text()} null, metadata empty):
 *     the stored records are not read, which at low search effort costs as much as the search
 */
public record SearchRequest(
    float[] vector,
    int k,
    int ef,
    MetadataFilter filter,
    Float minScore,
    VectorSource source,
    boolean exact,
    String text,
    Fusion fusion,
    boolean idsOnly) {

  public static final int DEFAULT_K = 10;
  /** The same default search effort as OpenSearch's k-NN {@code ef_search}. */
  public static final int DEFAULT_EF = 100;

  public static final int MAX_K = 10_000;

  public SearchRequest {
    if (vector == null && text == null) {
      throw new IllegalArgumentException("a search needs a query vector, a query text or both");
    }
    vector = vector == null ? null : vector.clone();
    if (text != null && text.isBlank()) {
      throw new IllegalArgumentException("query text must not be blank");
    }
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "], got " + k);
    }
    if (ef < k || ef > MAX_K) {
      throw new IllegalArgumentException(
          "ef must be in [k=" + k + ", " + MAX_K + "], got " + ef);
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(fusion, "fusion");
    if (minScore != null && !Float.isFinite(minScore)) {
      throw new IllegalArgumentException("minScore must be finite, got " + minScore);
    }
  }

  /** A search whose hits carry their stored text and metadata, the form before {@code idsOnly}. */
  public SearchRequest(
      float[] vector, int k, int ef, MetadataFilter filter, Float minScore, VectorSource source,
      boolean exact, String text, Fusion fusion) {
    this(vector, k, ef, filter, minScore, source, exact, text, fusion, false);
  }

  /** A vector search, the form every release before hybrid search had. */
  public SearchRequest(
      float[] vector, int k, int ef, MetadataFilter filter, Float minScore, VectorSource source) {
    this(Objects.requireNonNull(vector, "vector"), k, ef, filter, minScore, source, false, null, Fusion.DEFAULT);
  }

  /** A search by vector; add {@link Builder#text} to make it hybrid. */
  public static Builder builder(float[] vector) {
    return new Builder(Objects.requireNonNull(vector, "vector"), null);
  }

  /** A BM25 search by text alone. */
  public static Builder forText(String text) {
    return new Builder(null, Objects.requireNonNull(text, "text"));
  }

  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  public boolean hasVector() {
    return vector != null;
  }

  public boolean isHybrid() {
    return vector != null && text != null;
  }

  /** Builds a request; unset effort defaults to {@code max(k, DEFAULT_EF)}. */
  public static final class Builder {
    private final float[] vector;
    private String text;
    private int k = DEFAULT_K;
    private Integer ef;
    private MetadataFilter filter;
    private Float minScore;
    private VectorSource source = VectorSource.UNSTATED;
    private boolean exact;
    private Fusion fusion = Fusion.DEFAULT;
    private boolean idsOnly;

    private Builder(float[] vector, String text) {
      this.vector = vector;
      this.text = text;
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

    /** Score every stored vector: the true nearest neighbours, at the cost of a full scan. */
    public Builder exact(boolean exact) {
      this.exact = exact;
      return this;
    }

    /** Adds BM25 over this text: with a vector, the search becomes hybrid. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    public Builder fusion(Fusion fusion) {
      this.fusion = fusion;
      return this;
    }

    /**
     * Hits with id and score only, without reading the stored records (text null, metadata
     * empty): for callers that look texts up elsewhere, and the fastest way to search.
     */
    public Builder idsOnly(boolean idsOnly) {
      this.idsOnly = idsOnly;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(
          vector, k, ef != null ? ef : Math.max(k, DEFAULT_EF), filter, minScore, source, exact, text, fusion,
          idsOnly);
    }
  }
}
