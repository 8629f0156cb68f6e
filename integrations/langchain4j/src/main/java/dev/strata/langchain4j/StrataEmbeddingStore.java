package dev.strata.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.internal.ValidationUtils;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.RecordIds;
import dev.strata.core.SearchRequest;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.Similarity;
import dev.strata.core.TypedMetadata;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import dev.strata.core.live.StoreOpener;
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
 * <p>Writes ({@code add}, {@code addAll}, {@code remove*}) are committed by the store's {@link
 * CommitPolicy} ({@link Builder#commitPolicy}): by default every call returns durable and
 * searchable, calls from several threads at once sharing one commit; a service that writes
 * continuously may choose {@code CommitPolicy.every(Duration.ofSeconds(1))} (a call returns at once,
 * a crash loses at most the last second) and {@link #flush()} where it needs durability now.
 * With {@link Builder#idsFromContent}, ids are derived from each segment's text and metadata
 * ({@link RecordIds}), so ingesting the same documents twice leaves one copy. A store opened on an
 * alias ({@link Builder#alias}) follows it through a live migration. A read-only store
 * ({@code IndexOptions.readOnly}) sees the writer's commits within its refresh interval (one
 * second by default).
 *
 * <p>Filters run inside the HNSW search (see {@link FilterTranslator} for their semantics); scores
 * are LangChain4j's relevance scores, {@code (1 + cosine) / 2}. With {@link Builder#hybridSearch},
 * a request that carries its query text is searched by vector and BM25 together, fused by
 * reciprocal rank.
 *
 * <p>Thread-safe. Closing it commits what its policy left buffered, and closes the index if the
 * store opened it.
 */
public final class StrataEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {
  private final LiveIndex live;
  private final VectorSource source;
  private final boolean hybridSearch;
  private final boolean idsFromContent;

  private StrataEmbeddingStore(LiveIndex live, VectorSource source, boolean hybridSearch,
      boolean idsFromContent) {
    this.live = live;
    this.source = source;
    this.hybridSearch = hybridSearch;
    this.idsFromContent = idsFromContent;
  }

  /** A builder: give a path (or an alias, or an open index) and a model or a dimension. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The index behind the store now: snapshots, rollback, stats, compaction. A store on an alias
   * moves to the new index at a live migration; call this each time rather than keeping it.
   */
  public VectorIndex index() {
    return live.index();
  }

  /** When this store commits. */
  public CommitPolicy commitPolicy() {
    return live.policy();
  }

  /** Commits every write buffered so far (whatever the policy) and returns the snapshot that holds them. */
  public SnapshotInfo flush() {
    return live.flush();
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
    Objects.requireNonNull(embedding, "embedding");
    String id = idsFromContent ? contentId(embedding, segment) : generateIds(1).getFirst();
    addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
    return id;
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings) {
    return addAll(embeddings, null);
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings, List<TextSegment> segments) {
    List<String> ids;
    if (idsFromContent) {
      ids = new ArrayList<>(embeddings.size());
      for (int i = 0; i < embeddings.size(); i++) {
        ids.add(contentId(Objects.requireNonNull(embeddings.get(i), "embedding " + i),
            segments == null || i >= segments.size() ? null : segments.get(i)));
      }
    } else {
      ids = generateIds(embeddings.size());
    }
    addAll(ids, embeddings, segments);
    return ids;
  }

  private static String contentId(Embedding embedding, TextSegment segment) {
    return segment == null ? RecordIds.fromVector(embedding.vector())
        : RecordIds.fromContent(segment.text(), segment.metadata().toMap());
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
    live.upsertAll(records, source);
  }

  @Override
  public void remove(String id) {
    removeAll(List.of(requireId(id)));
  }

  @Override
  public void removeAll(Collection<String> ids) {
    ValidationUtils.ensureNotEmpty(ids, "ids");
    ids.forEach(StrataEmbeddingStore::requireId);
    live.deleteAll(ids);
  }

  @Override
  public void removeAll(Filter filter) {
    ValidationUtils.ensureNotNull(filter, "filter");
    live.deleteWhere(live.read(index -> new FilterTranslator(index.metadataFields()).translate(filter)));
  }

  @Override
  public void removeAll() {
    live.deleteAllRecords();
  }

  @Override
  public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
    return live.read(index -> search(index, request));
  }

  private EmbeddingSearchResult<TextSegment> search(VectorIndex index, EmbeddingSearchRequest request) {
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

  /** Commits what the policy left buffered, then closes the index if the store opened it. */
  @Override
  public void close() {
    live.close();
  }

  @Override
  public String toString() {
    VectorIndex index = live.index();
    return "StrataEmbeddingStore[" + index.path() + ", " + index.schema().dimension() + "-d"
        + (index.schema().modelFingerprint() == null ? "" : ", " + index.schema().modelFingerprint())
        + ", commits " + live.policy() + "]";
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
    private EmbeddingModel otherModel;
    private String modelName;
    private Integer dimension;
    private VectorEncoding encoding = VectorEncoding.FLOAT32;
    private IndexOptions options = IndexOptions.DEFAULTS;
    private boolean hybridSearch;
    private Path alias;
    private boolean initializeSchema = true;
    private CommitPolicy commitPolicy = CommitPolicy.everyCall();
    private boolean idsFromContent;

    private Builder() {}

    /**
     * Opens the index an alias file names and follows the alias through a live migration
     * ({@code index-admin rebuild --alias}), instead of {@link #path}.
     */
    public Builder alias(Path aliasFile) {
      this.alias = aliasFile;
      return this;
    }

    /** When writes are committed (default: every call, concurrent calls sharing a commit); see {@link CommitPolicy}. */
    public Builder commitPolicy(CommitPolicy commitPolicy) {
      this.commitPolicy = Objects.requireNonNull(commitPolicy, "commitPolicy");
      return this;
    }

    /**
     * Ids of added segments come from their text and metadata ({@link RecordIds#fromContent}), so
     * adding the same segment again replaces it instead of storing a copy (default: random ids, as
     * LangChain4j's own stores). Ids passed by the caller are kept as given.
     */
    public Builder idsFromContent(boolean idsFromContent) {
      this.idsFromContent = idsFromContent;
      return this;
    }

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

    /** Strata's in-process model: the index records the digest of its files and refuses any other. */
    public Builder embeddingModel(StrataEmbeddingModel model) {
      this.model = model;
      this.otherModel = null;
      return this;
    }

    /**
     * Any LangChain4j model (OpenAI, Ollama, LangChain4j's in-process ONNX models...) whose vectors
     * the caller adds and searches with. The index records the model's name ({@link #modelName},
     * or the model's own {@link EmbeddingModel#modelName()}) and dimension, and refuses a store that
     * declares another ({@link ModelFingerprint#declared}).
     */
    public Builder embeddingModel(EmbeddingModel model) {
      if (model instanceof StrataEmbeddingModel strata) {
        return embeddingModel(strata);
      }
      this.otherModel = Objects.requireNonNull(model, "model");
      this.model = null;
      return this;
    }

    /**
     * The name of the {@link #embeddingModel(EmbeddingModel) model}, exactly as its provider
     * versions it, where the model does not report one (LangChain4j's default is "unknown").
     */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /** For embeddings from a model Strata does not know: no drift guard. */
    public Builder dimension(int dimension) {
      this.dimension = dimension;
      return this;
    }

    /** The vector encoding of an index this builder creates (default float32). */
    public Builder encoding(VectorEncoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** The index's options (meters, monitor, retention, read-only...); defaults otherwise. */
    public Builder indexOptions(IndexOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Search requests that carry their query text also run BM25 over the segments' texts, fused. */
    public Builder hybridSearch(boolean hybridSearch) {
      this.hybridSearch = hybridSearch;
      return this;
    }

    /**
     * Whether a {@link #path} without an index gets a new one (default, as before) or is refused
     * with {@link dev.strata.core.IndexNotFoundException}, so that a mistyped path fails instead of
     * serving an empty index.
     */
    public Builder initializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
      return this;
    }

    /** Opens (or creates, at a path) the index and the store on it. */
    public StrataEmbeddingStore build() {
      if ((path != null ? 1 : 0) + (index != null ? 1 : 0) + (alias != null ? 1 : 0) != 1) {
        throw new IllegalStateException("give exactly one of path, alias and index"); // before a remote model is asked anything
      }
      ModelFingerprint fingerprint = fingerprint();
      if (fingerprint != null && dimension != null && dimension != modelDimension) {
        throw new IllegalStateException("dimension " + dimension + " differs from the model's " + modelDimension);
      }
      VectorSource source = fingerprint == null ? VectorSource.UNSTATED : VectorSource.model(fingerprint);
      LiveIndex live = StoreOpener.builder().path(path).alias(alias).index(index)
          .createWith(initializeSchema ? () -> schema(fingerprint) : null)
          .options(options).commitPolicy(commitPolicy)
          .check(opened -> checkModel(opened, fingerprint))
          .open();
      return new StrataEmbeddingStore(live, source, hybridSearch, idsFromContent);
    }

    private IndexSchema schema(ModelFingerprint fingerprint) {
      IndexSchema.Builder schema;
      if (fingerprint != null) {
        schema = IndexSchema.builder(modelDimension, Similarity.COSINE).modelFingerprint(fingerprint.encoded());
      } else if (dimension != null) {
        schema = IndexSchema.builder(dimension, Similarity.COSINE);
      } else {
        throw new IllegalStateException("give embeddingModel or dimension");
      }
      return schema.encoding(encoding).build();
    }

    private int modelDimension;

    /** The model's fingerprint (and {@link #modelDimension}), or null for vectors of unknown origin. */
    private ModelFingerprint fingerprint() {
      if (model != null) {
        modelDimension = model.dimension();
        return model.fingerprint();
      }
      if (otherModel == null) {
        return null;
      }
      String name = modelName != null ? modelName : otherModel.modelName();
      if (name == null || name.isBlank() || name.equals("unknown")) {
        throw new IllegalStateException("name the embedding model (" + otherModel.getClass().getSimpleName()
            + " does not report its name): builder.modelName(\"...\"), exactly as its provider versions it;"
            + " the index records it and refuses vectors from any other model");
      }
      modelDimension = dimension != null ? dimension : otherModel.dimension();
      return ModelFingerprint.declared(name, modelDimension);
    }

    /** {@code fingerprint} from {@link #fingerprint()}, computed once: a remote model's dimension may cost a call. */
    private void checkModel(VectorIndex index, ModelFingerprint fingerprint) {
      if (fingerprint != null) {
        index.requireModel(fingerprint, modelDimension, "opening the LangChain4j store"); // another model or dimension
      }
    }
  }
}
