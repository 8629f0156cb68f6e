package dev.strata.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every vector in an index has in common. Fixed when the index is created and read back from
 * the index on every open; opening with a different schema is a {@link SchemaMismatchException}.
 *
 * @param dimension number of components in every vector, 1 to {@link #MAX_DIMENSION}
 * @param similarity how vectors are compared
 * @param encoding how the HNSW graph stores vectors
 * @param hnswM maximum neighbours a graph node keeps (Lucene's {@code maxConn})
 * @param hnswBeamWidth candidates considered while building the graph ({@code beamWidth})
 * @param normalize for {@link Similarity#DOT_PRODUCT}: scale incoming vectors to unit length
 *     instead of rejecting those that are not
 * @param modelFingerprint the embedding model the vectors come from, or {@code null} if unknown
 * @param fullText whether record texts are also indexed for BM25 keyword and hybrid search
 *     (English analysis); on by default, off in indexes created before it existed
 */
public record IndexSchema(
    int dimension,
    Similarity similarity,
    VectorEncoding encoding,
    int hnswM,
    int hnswBeamWidth,
    boolean normalize,
    String modelFingerprint,
    boolean fullText) {

  /** Lucene's limit on vector dimensions for its HNSW formats. */
  public static final int MAX_DIMENSION = 1024;

  public static final int DEFAULT_HNSW_M = 16;
  public static final int DEFAULT_HNSW_BEAM_WIDTH = 100;
  /** Lucene's own bounds on graph parameters. */
  public static final int MAX_HNSW_M = 512;

  public static final int MAX_HNSW_BEAM_WIDTH = 3200;

  public IndexSchema {
    checkRange("dimension", dimension, 1, MAX_DIMENSION);
    Objects.requireNonNull(similarity, "similarity");
    Objects.requireNonNull(encoding, "encoding");
    checkRange("hnswM", hnswM, 1, MAX_HNSW_M);
    checkRange("hnswBeamWidth", hnswBeamWidth, 1, MAX_HNSW_BEAM_WIDTH);
    if (normalize && similarity != Similarity.DOT_PRODUCT) {
      throw new IllegalArgumentException(
          "normalize=true only applies to similarity dot_product, not " + similarity.externalName());
    }
    if (modelFingerprint != null && modelFingerprint.isBlank()) {
      throw new IllegalArgumentException("modelFingerprint must be null or non-blank");
    }
  }

  /**
   * A schema of {@code dimension}-d vectors compared by {@code similarity}; other fields at their
   * defaults.
   */
  public static Builder builder(int dimension, Similarity similarity) {
    return new Builder(dimension, similarity);
  }

  /**
   * A cosine schema with the embedder's dimension and model fingerprint: the index then refuses
   * vectors from any other model.
   */
  public static Builder forEmbedder(Embedder embedder) {
    return new Builder(embedder.dimension(), Similarity.COSINE)
        .modelFingerprint(embedder.fingerprint().encoded());
  }

  /** A builder holding this schema, to derive another. */
  public Builder toBuilder() {
    return new Builder(dimension, similarity)
        .encoding(encoding)
        .hnswM(hnswM)
        .hnswBeamWidth(hnswBeamWidth)
        .normalize(normalize)
        .modelFingerprint(modelFingerprint)
        .fullText(fullText);
  }

  /**
   * Lists every field in which {@code actual} differs from this schema, as {@code "field: expected
   * X, actual Y"}; empty when they agree.
   */
  public List<String> differences(IndexSchema actual) {
    List<String> diffs = shapeDifferences(dimension, similarity, actual.dimension, actual.similarity);
    diff(diffs, "encoding", encoding.externalName(), actual.encoding.externalName());
    diff(diffs, "hnswM", hnswM, actual.hnswM);
    diff(diffs, "hnswBeamWidth", hnswBeamWidth, actual.hnswBeamWidth);
    diff(diffs, "normalize", normalize, actual.normalize);
    diff(diffs, "modelFingerprint", modelFingerprint, actual.modelFingerprint);
    return diffs;
  }

  /**
   * The dimension and similarity differences, in the same form: what decides whether queries made
   * for one index can be served by another (swaps, alias repoints, rebuilds).
   */
  public static List<String> shapeDifferences(
      int expectedDimension, Similarity expectedSimilarity, int actualDimension, Similarity actualSimilarity) {
    List<String> diffs = new ArrayList<>();
    diff(diffs, "dimension", expectedDimension, actualDimension);
    diff(diffs, "similarity", expectedSimilarity.externalName(), actualSimilarity.externalName());
    return diffs;
  }

  private static void diff(List<String> out, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      out.add(field + ": expected " + expected + ", actual " + actual);
    }
  }

  private static void checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  /** Builds a schema; every setter is checked when {@link #build()} runs. */
  public static final class Builder {
    private final int dimension;
    private final Similarity similarity;
    private VectorEncoding encoding = VectorEncoding.FLOAT32;
    private int hnswM = DEFAULT_HNSW_M;
    private int hnswBeamWidth = DEFAULT_HNSW_BEAM_WIDTH;
    private boolean normalize;
    private String modelFingerprint;
    private boolean fullText = true;

    private Builder(int dimension, Similarity similarity) {
      this.dimension = dimension;
      this.similarity = similarity;
    }

    /** How vectors are stored and searched (default float32). */
    public Builder encoding(VectorEncoding encoding) {
      this.encoding = encoding;
      return this;
    }

    /** HNSW neighbours per node (default 16). */
    public Builder hnswM(int hnswM) {
      this.hnswM = hnswM;
      return this;
    }

    /** HNSW candidates considered while building (default 100). */
    public Builder hnswBeamWidth(int hnswBeamWidth) {
      this.hnswBeamWidth = hnswBeamWidth;
      return this;
    }

    /** Whether vectors are L2-normalised on the way in. */
    public Builder normalize(boolean normalize) {
      this.normalize = normalize;
      return this;
    }

    /** The model fingerprint the index records and enforces (null: vectors of unknown origin). */
    public Builder modelFingerprint(String modelFingerprint) {
      this.modelFingerprint = modelFingerprint;
      return this;
    }

    /** Index record texts for BM25 and hybrid search (default on); off saves ingest time and disk. */
    public Builder fullText(boolean fullText) {
      this.fullText = fullText;
      return this;
    }

    /** The schema; an invalid field is an {@link IllegalArgumentException} naming it. */
    public IndexSchema build() {
      return new IndexSchema(
          dimension, similarity, encoding, hnswM, hnswBeamWidth, normalize, modelFingerprint, fullText);
    }
  }
}
