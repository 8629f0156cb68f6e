package dev.strata.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A search: by vector (k nearest neighbours), by text (BM25 over the records' texts), or by both
 * (hybrid: the two ranked lists merged by a {@link Fusion}).
 */
public final class SearchRequest {
  public static final int DEFAULT_K = 10;
  /** The same default search effort as OpenSearch's k-NN {@code ef_search}. */
  public static final int DEFAULT_EF = 100;

  public static final int MAX_K = 10_000;

  private final float[] vector;
  private final int k;
  private final int ef;
  private final MetadataFilter filter;
  private final Float minScore;
  private final VectorSource source;
  private final boolean exact;
  private final String text;
  private final Fusion fusion;
  private final boolean idsOnly;
  private final java.time.Duration timeout;
  private final boolean allOrNothing;
  private final boolean provenance;

  private SearchRequest(Builder b) {
    if (b.vector == null && b.text == null) {
      throw new IllegalArgumentException("a search needs a query vector, a query text or both");
    }
    if (b.text != null && b.text.isBlank()) {
      throw new IllegalArgumentException("query text must not be blank");
    }
    int ef = b.ef != null ? b.ef : Math.max(b.k, DEFAULT_EF);
    if (b.k < 1 || b.k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "], got " + b.k);
    }
    if (ef < b.k || ef > MAX_K) {
      throw new IllegalArgumentException("ef must be in [k=" + b.k + ", " + MAX_K + "], got " + ef);
    }
    if (b.minScore != null && !Float.isFinite(b.minScore)) {
      throw new IllegalArgumentException("minScore must be finite, got " + b.minScore);
    }
    this.vector = b.vector == null ? null : b.vector.clone();
    this.k = b.k;
    this.ef = ef;
    this.filter = b.filter;
    this.minScore = b.minScore;
    this.source = Objects.requireNonNull(b.source, "source");
    this.exact = b.exact;
    this.text = b.text;
    this.fusion = Objects.requireNonNull(b.fusion, "fusion");
    this.idsOnly = b.idsOnly;
    if (b.timeout != null && !b.timeout.isPositive()) {
      throw new IllegalArgumentException("timeout must be positive, got " + b.timeout);
    }
    this.timeout = b.timeout;
    this.allOrNothing = b.allOrNothing;
    this.provenance = b.provenance;
  }

  /** Whether hits carry their {@link Provenance} (see {@link Builder#provenance}). */
  public boolean provenance() {
    return provenance;
  }

  /** How long the search may take, time waiting for admission included; null for no limit. */
  public java.time.Duration timeout() {
    return timeout;
  }

  /** Whether a search past its timeout throws {@link DeadlineExceededException} instead of answering flagged. */
  public boolean allOrNothing() {
    return allOrNothing;
  }

  /** The query vector (a copy), or {@code null} for a text-only search. */
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  /** Number of hits wanted. */
  public int k() {
    return k;
  }

  /**
   * Search effort: candidates the HNSW search keeps (at least {@code k}); higher is slower and
   * finds more of the true nearest neighbours. In a hybrid search, also how many hits of each
   * list are fused.
   */
  public int ef() {
    return ef;
  }

  /** Restricts the search to matching records, or {@code null}. */
  public MetadataFilter filter() {
    return filter;
  }

  /**
   * Drops hits scoring below it, or {@code null} for no threshold. In a hybrid search it applies
   * to the vector hits' own scores, before fusion.
   */
  public Float minScore() {
    return minScore;
  }

  /** The model that made the query vector, checked against the index's (drift guard). */
  public VectorSource source() {
    return source;
  }

  /** Whether every stored vector is scored instead of searching the graph. */
  public boolean exact() {
    return exact;
  }

  /** The query text for BM25, or {@code null} for a vector-only search. */
  public String text() {
    return text;
  }

  /** How a hybrid search merges its lists. */
  public Fusion fusion() {
    return fusion;
  }

  /** Whether hits carry only their id and score (see {@link Builder#idsOnly}). */
  public boolean idsOnly() {
    return idsOnly;
  }

  /** A builder holding this request, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder(vector, text);
    b.k = k;
    b.ef = ef;
    b.filter = filter;
    b.minScore = minScore;
    b.source = source;
    b.exact = exact;
    b.fusion = fusion;
    b.idsOnly = idsOnly;
    b.timeout = timeout;
    b.allOrNothing = allOrNothing;
    b.provenance = provenance;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchRequest r && Arrays.equals(vector, r.vector) && k == r.k && ef == r.ef
        && Objects.equals(filter, r.filter) && Objects.equals(minScore, r.minScore) && source.equals(r.source)
        && exact == r.exact && Objects.equals(text, r.text) && fusion.equals(r.fusion) && idsOnly == r.idsOnly
        && Objects.equals(timeout, r.timeout) && allOrNothing == r.allOrNothing && provenance == r.provenance;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(vector) + Objects.hash(k, ef, filter, minScore, source, exact, text, fusion, idsOnly, timeout,
        allOrNothing, provenance);
  }

  @Override
  public String toString() {
    return "SearchRequest[" + (vector == null ? "" : vector.length + "-d vector, ") + (text == null ? "" : "text, ")
        + "k=" + k + ", ef=" + ef + (filter == null ? "" : ", filter=" + filter)
        + (minScore == null ? "" : ", minScore=" + minScore) + (exact ? ", exact" : "")
        + (idsOnly ? ", idsOnly" : "") + (timeout == null ? "" : ", timeout=" + timeout.toMillis() + "ms")
        + (allOrNothing ? ", allOrNothing" : "") + (provenance ? ", provenance" : "") + "]";
  }

  /** A search by vector; add {@link Builder#text} to make it hybrid. */
  public static Builder builder(float[] vector) {
    return new Builder(Objects.requireNonNull(vector, "vector"), null);
  }

  /** A BM25 search by text alone. */
  public static Builder forText(String text) {
    return new Builder(null, Objects.requireNonNull(text, "text"));
  }

  /** Whether the request carries a query vector. */
  public boolean hasVector() {
    return vector != null;
  }

  /** Whether the request runs vector and BM25 search, fused. */
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
    private java.time.Duration timeout;
    private boolean allOrNothing;
    private boolean exact;
    private Fusion fusion = Fusion.DEFAULT;
    private boolean idsOnly;
    private boolean provenance;

    private Builder(float[] vector, String text) {
      this.vector = vector;
      this.text = text;
    }

    /** Hits to return (default 10). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** HNSW candidates searched (at least {@code k}); higher finds more true neighbours, slower. */
    public Builder ef(int ef) {
      this.ef = ef;
      return this;
    }

    /** Only records matching {@code filter}, applied inside the HNSW search. */
    public Builder filter(MetadataFilter filter) {
      this.filter = filter;
      return this;
    }

    /** Drops hits scoring below {@code minScore}; {@code null} for no threshold. */
    public Builder minScore(Float minScore) {
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

    /** How hybrid results are fused (default reciprocal rank). */
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

    /**
     * How long the search may take from the call, time spent waiting for admission included
     * ({@link IndexOptions.Builder#searchAdmission}); null (the default) for no limit. A search past
     * it answers with what it has, flagged {@link SearchResult#timedOut()} (nothing, when the time
     * ran out before it started), unless {@link #allOrNothing}.
     */
    public Builder timeout(java.time.Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** A search past its timeout throws {@link DeadlineExceededException} instead of answering flagged. */
    public Builder allOrNothing(boolean allOrNothing) {
      this.allOrNothing = allOrNothing;
      return this;
    }

    /**
     * Hits with their {@link Hit#provenance()}: the snapshot that last wrote each record, its source
     * label and the index's model. Read from doc values beside the hit's other values.
     */
    public Builder provenance(boolean provenance) {
      this.provenance = provenance;
      return this;
    }

    /** The request; an invalid one is an {@link IllegalArgumentException} naming the field. */
    public SearchRequest build() {
      return new SearchRequest(this);
    }
  }
}
