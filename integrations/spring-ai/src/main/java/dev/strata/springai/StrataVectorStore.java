package dev.strata.springai;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordIds;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.TypedMetadata;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import dev.strata.core.live.StoreOpener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A Spring AI {@link VectorStore} on a Strata index on disk. Documents and queries are embedded by
 * one model, enforced by the drift guard (a store cannot open an index built with another model):
 * either Strata's in-process ONNX {@link Embedder} ({@link #builder(Embedder)}, with {@code
 * dev.strata:embedder} on the classpath) or any Spring AI {@link EmbeddingModel} ({@link
 * #builder(EmbeddingModel)}, named with {@link Builder#modelName}). Snapshots, rollback, archives
 * and compaction are reached through {@link #index()} and {@code index-admin}.
 *
 * <p>It is an {@link AbstractObservationVectorStore}: with an {@code ObservationRegistry} ({@link
 * Builder#observationRegistry}) every add, delete and query is a Spring AI observation ({@code
 * db.system} {@code strata}), and a Spring AI model's texts are sent in batches of the builder's
 * {@code BatchingStrategy}.
 *
 * <p>Writes ({@code add}, {@code delete}) are committed by the store's {@link CommitPolicy}
 * ({@link Builder#commitPolicy}): by default every call returns durable and searchable, calls from
 * several threads at once sharing one commit; with {@code CommitPolicy.every(Duration.ofSeconds(1))}
 * a call returns at once and a crash loses at most the last second ({@link #flush()} commits now).
 * With {@link Builder#idsFromContent}, each document's id is derived from its text and metadata
 * ({@link RecordIds}), so adding the same documents twice leaves one copy. A store opened on an
 * alias ({@link Builder#alias}) follows it through a live migration; a read-only one sees the
 * writer's commits within its refresh interval.
 *
 * <p>Scores follow Spring AI's convention, the cosine similarity (Strata's own score is
 * {@code (1 + cosine) / 2}); {@code similarityThreshold} is compared with it, and
 * {@link SearchRequest#SIMILARITY_THRESHOLD_ACCEPT_ALL} accepts every hit. Each result also carries
 * the metadata entry {@code distance} ({@code 1 - similarity}), as Spring AI's stores do.
 *
 * <p>Thread-safe. Closing it commits what the policy left buffered and closes the index if the
 * store opened it; never the embedder.
 */
public final class StrataVectorStore extends AbstractObservationVectorStore implements AutoCloseable {
  /** The metadata key Spring AI's stores put the distance under. */
  public static final String DISTANCE = "distance";
  /** The {@code db.system} of this store's observations. */
  public static final String DB_SYSTEM = "strata";

  private final LiveIndex live;
  private final Embedder embedder;
  private final boolean idsFromContent;

  private StrataVectorStore(Builder builder, LiveIndex live, Embedder embedder) {
    super(builder);
    this.live = live.embedders(List.of(embedder));
    this.embedder = embedder;
    this.idsFromContent = builder.idsFromContent;
  }

  /** A builder of a store whose texts {@code embedder} (Strata's own, e.g. the in-process model) embeds. */
  public static Builder builder(Embedder embedder) {
    return new Builder(new StrataEmbeddingModel(embedder), embedder);
  }

  /**
   * A builder of a store whose texts a Spring AI model embeds. Unless it is a {@link
   * StrataEmbeddingModel}, name the model ({@link Builder#modelName}): the index records the name
   * and refuses any other.
   */
  public static Builder builder(EmbeddingModel embeddingModel) {
    Objects.requireNonNull(embeddingModel, "embeddingModel");
    return embeddingModel instanceof StrataEmbeddingModel strata
        ? new Builder(strata, strata.embedder())
        : new Builder(embeddingModel, null);
  }

  /** The embedder the store embeds with (for a Spring AI model, the adapter that names it). */
  public Embedder embedder() {
    return embedder;
  }

  /** Opens the index at {@code path}, creating it for {@code embedder}'s model if there is none. */
  public static StrataVectorStore open(Path path, Embedder embedder) {
    return builder(embedder).path(path).build();
  }

  /** Opens the index at {@code path}, creating it with {@code encoding} if there is none. */
  public static StrataVectorStore open(Path path, Embedder embedder, VectorEncoding encoding, IndexOptions options) {
    return builder(embedder).path(path).encoding(encoding).indexOptions(options).build();
  }

  /** Wraps an index the caller opened and will close. */
  public static StrataVectorStore of(VectorIndex index, Embedder embedder) {
    return builder(embedder).index(index).build();
  }

  /**
   * The index behind the store now. A store on an alias moves to the new index at a live
   * migration: call this each time rather than keeping it.
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
  public String getName() {
    return "StrataVectorStore";
  }

  @Override
  public <T> Optional<T> getNativeClient() {
    @SuppressWarnings("unchecked")
    T client = (T) live.index();
    return Optional.of(client);
  }

  @Override
  public void add(List<Document> documents) {
    Objects.requireNonNull(documents, "documents");
    if (!documents.isEmpty()) {
      super.add(documents);
    }
  }

  @Override
  public void doAdd(List<Document> documents) {
    List<TextRecord> records = new ArrayList<>(documents.size());
    for (Document document : documents) {
      if (!document.isText() || document.getText() == null) {
        throw new IllegalArgumentException("document " + document.getId() + " has no text; the Strata store embeds text only");
      }
      String id = idsFromContent ? RecordIds.fromContent(document.getText(), document.getMetadata()) : document.getId();
      records.add(new TextRecord(id, document.getText(), TypedMetadata.encode(document.getMetadata())));
    }
    live.upsertTexts(records);
  }

  @Override
  public void delete(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("ids must not be null or empty");
    }
    super.delete(ids);
  }

  @Override
  public void doDelete(List<String> ids) {
    live.deleteAll(ids);
  }

  @Override
  public void delete(Filter.Expression filter) {
    Objects.requireNonNull(filter, "filter");
    super.delete(filter);
  }

  @Override
  protected void doDelete(Filter.Expression filter) {
    live.deleteWhere(live.read(index -> new FilterExpressions(index.metadataFields()).translate(filter)));
  }

  @Override
  public List<Document> similaritySearch(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    return super.similaritySearch(request);
  }

  @Override
  public List<Document> doSimilaritySearch(SearchRequest request) {
    float[] query = embedder.embed(request.getQuery());
    return live.read(index -> similaritySearch(index, query, request));
  }

  @Override
  public VectorStoreObservationContext.Builder createObservationContextBuilder(String operationName) {
    return VectorStoreObservationContext.builder(DB_SYSTEM, operationName)
        .collectionName(live.index().path().getFileName().toString())
        .dimensions(embedder.dimension())
        .similarityMetric("cosine");
  }

  private List<Document> similaritySearch(VectorIndex index, float[] query, SearchRequest request) {
    var search = dev.strata.core.SearchRequest.builder(query)
        .k(request.getTopK())
        .ef(Math.max(request.getTopK(), dev.strata.core.SearchRequest.DEFAULT_EF))
        .source(VectorSource.model(embedder.fingerprint()));
    if (request.hasFilterExpression()) {
      search.filter(new FilterExpressions(index.metadataFields()).translate(request.getFilterExpression()));
    }
    if (request.getSimilarityThreshold() > SearchRequest.SIMILARITY_THRESHOLD_ACCEPT_ALL) {
      search.minScore((float) ((1 + request.getSimilarityThreshold()) / 2));
    }
    List<Document> documents = new ArrayList<>();
    for (Hit hit : index.search(search.build()).hits()) {
      double similarity = 2.0 * hit.score() - 1;
      Map<String, Object> metadata = new LinkedHashMap<>(TypedMetadata.decode(hit.metadata()));
      metadata.put(DISTANCE, 1 - similarity);
      documents.add(Document.builder().id(hit.id()).text(hit.text()).metadata(metadata).score(similarity).build());
    }
    return documents;
  }

  /** Commits what the policy left buffered, then closes the index if the store opened it. */
  @Override
  public void close() {
    live.close();
  }

  @Override
  public String toString() {
    return "StrataVectorStore[" + live.index().path() + ", " + embedder.fingerprint().shortForm() + ", commits "
        + live.policy() + "]";
  }

  /** The stored record of {@code id}, for callers that want the vector too. */
  public Optional<Record> get(String id) {
    return live.read(index -> index.get(id));
  }

  /**
   * Configures a store: exactly one of {@link #path}, {@link #alias} and {@link #index}; Spring AI's
   * {@code observationRegistry}, {@code customObservationConvention} and {@code batchingStrategy}
   * come from {@link AbstractVectorStoreBuilder}.
   */
  public static final class Builder extends AbstractVectorStoreBuilder<Builder> {
    private Embedder embedder;
    private String modelName;
    private int dimensions;
    private Path path;
    private Path alias;
    private VectorIndex index;
    private VectorEncoding encoding = VectorEncoding.FLOAT32;
    private IndexOptions options = IndexOptions.DEFAULTS;
    private CommitPolicy commitPolicy = CommitPolicy.everyCall();
    private boolean idsFromContent;
    private boolean initializeSchema = true;

    private Builder(EmbeddingModel embeddingModel, Embedder embedder) {
      super(embeddingModel);
      this.embedder = embedder;
    }

    /**
     * The name of a Spring AI model, exactly as its provider versions it (e.g. {@code
     * text-embedding-3-small}, {@code nomic-embed-text:v1.5}). The index records it with the
     * dimension; a store that names another model cannot open the index. Ignored for a Strata
     * embedder, whose fingerprint is a digest of the model's files.
     */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /**
     * The dimension of a Spring AI model's vectors; without it the model is asked ({@link
     * EmbeddingModel#dimensions()}, which may embed a probe text).
     */
    public Builder dimensions(int dimensions) {
      if (dimensions < 0) {
        throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
      }
      this.dimensions = dimensions;
      return this;
    }

    /**
     * The index directory; created for the embedder's model if it holds no index yet, unless
     * {@link #initializeSchema initializeSchema(false)}.
     */
    public Builder path(Path path) {
      this.path = path;
      return this;
    }

    /** Opens the index an alias file names and follows the alias through a live migration. */
    public Builder alias(Path aliasFile) {
      this.alias = aliasFile;
      return this;
    }

    /** An index the caller opened and will close. */
    public Builder index(VectorIndex index) {
      this.index = index;
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

    /** When writes are committed (default: every call, concurrent calls sharing a commit); see {@link CommitPolicy}. */
    public Builder commitPolicy(CommitPolicy commitPolicy) {
      this.commitPolicy = Objects.requireNonNull(commitPolicy, "commitPolicy");
      return this;
    }

    /**
     * Each document's id comes from its text and metadata ({@link RecordIds#fromContent}) instead
     * of {@link Document#getId()} (Spring AI's default: a random UUID), so adding the same
     * documents again replaces them instead of storing copies.
     */
    public Builder idsFromContent(boolean idsFromContent) {
      this.idsFromContent = idsFromContent;
      return this;
    }

    /**
     * Whether a {@link #path} without an index gets a new one (default) or is refused with {@link
     * dev.strata.core.IndexNotFoundException}, so that a mistyped path fails instead of serving an
     * empty index.
     */
    public Builder initializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
      return this;
    }

    /** Opens (or creates, at a path) the index and the store on it. */
    @Override
    public StrataVectorStore build() {
      if ((path != null ? 1 : 0) + (alias != null ? 1 : 0) + (index != null ? 1 : 0) != 1) {
        throw new IllegalStateException("give exactly one of path, alias and index"); // before a remote model is asked anything
      }
      Embedder embedder = this.embedder != null
          ? this.embedder
          : new EmbeddingModelEmbedder(getEmbeddingModel(), modelName, dimensions, getBatchingStrategy());
      LiveIndex live = StoreOpener.builder().path(path).alias(alias).index(index)
          .createWith(initializeSchema ? () -> IndexSchema.forEmbedder(embedder).encoding(encoding).build() : null)
          .options(options).commitPolicy(commitPolicy)
          .check(opened -> TextIndex.of(opened, embedder)) // refuses an index of another model
          .open();
      return new StrataVectorStore(this, live, embedder);
    }
  }
}
