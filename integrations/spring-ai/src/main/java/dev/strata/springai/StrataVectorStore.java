package dev.strata.springai;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.RecordIds;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.TypedMetadata;
import dev.strata.core.VectorEncoding;
import dev.strata.core.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.live.LiveIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * A Spring AI {@link VectorStore} on a Strata index on disk, embedding documents and queries with
 * Strata's in-process ONNX {@link Embedder}: one model for both, enforced by the drift guard (a
 * store cannot open an index built with another model). Snapshots, rollback, archives and
 * compaction are reached through {@link #index()} and {@code index-admin}.
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
public final class StrataVectorStore implements VectorStore, AutoCloseable {
  /** The metadata key Spring AI's stores put the distance under. */
  public static final String DISTANCE = "distance";

  private final LiveIndex live;
  private final Embedder embedder;
  private final boolean idsFromContent;

  private StrataVectorStore(LiveIndex live, Embedder embedder, boolean idsFromContent) {
    this.live = live.embedders(List.of(embedder));
    this.embedder = embedder;
    this.idsFromContent = idsFromContent;
  }

  /** A builder of a store whose texts {@code embedder} embeds. */
  public static Builder builder(Embedder embedder) {
    return new Builder(embedder);
  }

  /** Opens the index at {@code path}, creating it for {@code embedder}'s model if there is none. */
  public static StrataVectorStore open(Path path, Embedder embedder) {
    return builder(embedder).path(path).build();
  }

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
    if (documents.isEmpty()) {
      return;
    }
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
    live.deleteAll(ids);
  }

  @Override
  public void delete(Filter.Expression filter) {
    Objects.requireNonNull(filter, "filter");
    live.deleteWhere(live.read(index -> new FilterExpressions(index.metadataFields()).translate(filter)));
  }

  @Override
  public List<Document> similaritySearch(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    float[] query = embedder.embed(request.getQuery());
    return live.read(index -> similaritySearch(index, query, request));
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

  /** Configures a store: exactly one of {@link #path}, {@link #alias} and {@link #index}. */
  public static final class Builder {
    private final Embedder embedder;
    private Path path;
    private Path alias;
    private VectorIndex index;
    private VectorEncoding encoding = VectorEncoding.FLOAT32;
    private IndexOptions options = IndexOptions.DEFAULTS;
    private CommitPolicy commitPolicy = CommitPolicy.everyCall();
    private boolean idsFromContent;

    private Builder(Embedder embedder) {
      this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** The index directory; created for the embedder's model if it holds no index yet. */
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

    /** Opens (or creates, at a path) the index and the store on it. */
    public StrataVectorStore build() {
      if ((path != null ? 1 : 0) + (alias != null ? 1 : 0) + (index != null ? 1 : 0) != 1) {
        throw new IllegalStateException("give exactly one of path, alias and index");
      }
      if (index != null) {
        TextIndex.of(index, embedder); // refuses an index of another model
        return new StrataVectorStore(LiveIndex.of(index, commitPolicy), embedder, idsFromContent);
      }
      LiveIndex live = alias != null
          ? LiveIndex.openAlias(alias, options, commitPolicy)
          : LiveIndex.openOrCreate(path, IndexSchema.forEmbedder(embedder).encoding(encoding).build(), options, commitPolicy);
      try {
        TextIndex.of(live.index(), embedder);
        return new StrataVectorStore(live, embedder, idsFromContent);
      } catch (RuntimeException e) {
        live.close();
        throw e;
      }
    }
  }
}
