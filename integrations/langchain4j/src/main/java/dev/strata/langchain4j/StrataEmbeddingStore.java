package dev.strata.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.internal.ValidationUtils;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.TextIndex;
import dev.strata.core.TypedMetadata;
import dev.strata.core.VectorEncoding;
import dev.strata.core.VectorIndex;
import dev.strata.core.VectorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j {@link EmbeddingStore} on a Strata index on disk: durable, with snapshots, rollback,
 * archives and compaction through {@link #index()} and {@code index-admin}, and the drift guard:
 * a store built with a {@link StrataEmbeddingModel} refuses to open an index of another model.
 *
 * <p>Every {@code add}, {@code addAll} and {@code remove} call commits, so what it returns from is
 * durable and searchable, and each call is one snapshot; load in bulk with {@code addAll}, not one
 * {@code add} per segment. Filters run inside the HNSW search (see {@link FilterTranslator} for
 * their semantics); scores are LangChain4j's relevance scores, {@code (1 + cosine) / 2}. With
 * {@link Builder#hybridSearch}, a request that carries its query text is searched by vector and
 * BM25 together, fused by reciprocal rank.
 *
 * <p>Thread-safe. Closing it closes the index if the store opened it.
 */
public final class StrataEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {
  private final VectorIndex index;
  private final boolean ownsIndex;
  private final VectorSource source;
  private final boolean hybridSearch;

  private StrataEmbeddingStore(VectorIndex index, boolean ownsIndex, VectorSource source, boolean hybridSearch) {
    this.index = index;
    this.ownsIndex = ownsIndex;
    this.source = source;
    this.hybridSearch = hybridSearch;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The index behind the store: snapshots, rollback, stats, compaction. */
  public VectorIndex index() {
    return index;
  }

  @Override
  public String add(Embedding embedding) {
    return add(embedding, null);
  }

  @Override
  public void add(String id, Embedding embedding) {
    addAll(List.of(requireId(id)), List.of(embedding), null);
  }

  @Override
  public String add(Embedding embedding, TextSegment segment) {
    String id = generateIds(1).getFirst();
    addAll(List.of(id), List.of(Objects.requireNonNull(embedding, "embedding")), segment == null ? null : List.of(segment));
    return id;
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings) {
    List<String> ids = generateIds(embeddings.size());
    addAll(ids, embeddings, null);
    return ids;
  }

  @Override
  public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
    if (ids.size() != embeddings.size() || (segments != null && segments.size() != ids.size())) {
      throw new IllegalArgumentException("ids (" + ids.size() + "), embeddings (" + embeddings.size()
          + ") and segments (" + (segments == null ? "none" : segments.size()) + ") must be as many");
    }
    if (ids.isEmpty()) {
      return;
    }
    List<Record> records = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      Embedding embedding = Objects.requireNonNull(embeddings.get(i), "embedding " + i);
      TextSegment segment = segments == null ? null : segments.get(i);
      records.add(new Record(requireId(ids.get(i)), embedding.vector(),
          segment == null ? null : segment.text(),
          segment == null ? Map.of() : TypedMetadata.encode(segment.metadata().toMap())));
    }
    index.upsertAll(records, source);
    index.commit("langchain4j: add " + records.size());
  }

  @Override
  public void remove(String id) {
    removeAll(List.of(requireId(id)));
  }

  @Override
  public void removeAll(Collection<String> ids) {
    ValidationUtils.ensureNotEmpty(ids, "ids");
    ids.forEach(StrataEmbeddingStore::requireId);
    index.deleteAll(ids);
    index.commit("langchain4j: remove " + ids.size() + " by id");
  }

  @Override
  public void removeAll(Filter filter) {
    ValidationUtils.ensureNotNull(filter, "filter");
    index.deleteWhere(new FilterTranslator(index.metadataFields()).translate(filter));
    index.commit("langchain4j: remove by filter " + filter);
  }

  @Override
  public void removeAll() {
    index.deleteAllRecords();
    index.commit("langchain4j: remove all");
  }

  @Override
  public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
    SearchRequest.Builder search = SearchRequest.builder(request.queryEmbedding().vector())
        .k(request.maxResults())
        .ef(Math.max(request.maxResults(), SearchRequest.DEFAULT_EF))
        .filter(request.filter() == null ? null : new FilterTranslator(index.metadataFields()).translate(request.filter()))
        .source(source);
    boolean hybrid = hybridSearch && request.query() != null && !request.query().isBlank();
    if (hybrid) {
      search.text(request.query());
    } else if (request.minScore() > 0) {
      search.minScore((float) request.minScore()); // fused scores are ranks, not similarities
    }
    List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
    for (Hit hit : index.search(search.build()).hits()) {
      float[] vector = index.get(hit.id()).map(Record::vector).orElse(null);
      if (vector == null) {
        continue; // removed between the search and this read
      }
      TextSegment segment = hit.text() == null ? null : TextSegment.from(hit.text(), new Metadata(TypedMetadata.decode(hit.metadata())));
      matches.add(new EmbeddingMatch<>((double) hit.score(), hit.id(), Embedding.from(vector), segment));
    }
    return new EmbeddingSearchResult<>(matches);
  }

  @Override
  public void close() {
    if (ownsIndex) {
      index.close();
    }
  }

  @Override
  public String toString() {
    return "StrataEmbeddingStore[" + index.path() + ", " + index.schema().dimension() + "-d"
        + (index.schema().modelFingerprint() == null ? "" : ", " + index.schema().modelFingerprint()) + "]";
  }

  private static String requireId(String id) {
    return ValidationUtils.ensureNotBlank(id, "id"); // LangChain4j's own messages, which its contract tests expect
  }

  /**
   * Configures a store. Give {@link #path} and either {@link #embeddingModel} (the index records
   * and enforces its fingerprint) or {@link #dimension} (vectors of unknown origin); or wrap an
   * index you opened yourself with {@link #index}.
   */
  public static final class Builder {
    private Path path;
    private VectorIndex index;
    private StrataEmbeddingModel model;
    private Integer dimension;
    private VectorEncoding encoding = VectorEncoding.FLOAT32;
    private IndexOptions options = IndexOptions.DEFAULTS;
    private boolean hybridSearch;

    private Builder() {}

    /** The index directory; created if it holds no index yet. */
    public Builder path(Path path) {
      this.path = path;
      return this;
    }

    /** An index the caller opened and will close. */
    public Builder index(VectorIndex index) {
      this.index = index;
      return this;
    }

    public Builder embeddingModel(StrataEmbeddingModel model) {
      this.model = model;
      return this;
    }

    /** For embeddings from a model Strata does not know: no drift guard. */
    public Builder dimension(int dimension) {
      this.dimension = dimension;
      return this;
    }

    public Builder encoding(VectorEncoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    public Builder indexOptions(IndexOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Search requests that carry their query text also run BM25 over the segments' texts, fused. */
    public Builder hybridSearch(boolean hybridSearch) {
      this.hybridSearch = hybridSearch;
      return this;
    }

    public StrataEmbeddingStore build() {
      if ((path == null) == (index == null)) {
        throw new IllegalStateException("give exactly one of path and index");
      }
      if (model != null && dimension != null && dimension != model.dimension()) {
        throw new IllegalStateException(
            "dimension " + dimension + " differs from the model's " + model.dimension());
      }
      VectorSource source = model == null ? VectorSource.UNSTATED : VectorSource.model(model.fingerprint());
      if (index != null) {
        checkModel(index);
        return new StrataEmbeddingStore(index, false, source, hybridSearch);
      }
      IndexSchema.Builder schema;
      if (model != null) {
        schema = IndexSchema.forEmbedder(model.embedder());
      } else if (dimension != null) {
        schema = IndexSchema.builder(dimension, Similarity.COSINE);
      } else {
        throw new IllegalStateException("give embeddingModel or dimension");
      }
      VectorIndex opened = VectorIndex.openOrCreate(path, schema.encoding(encoding).build(), options);
      return new StrataEmbeddingStore(opened, true, source, hybridSearch);
    }

    private void checkModel(VectorIndex index) {
      if (model != null) {
        TextIndex.of(index, model.embedder()); // refuses an index of another model or dimension
      }
    }
  }
}
