package dev.strata.springai;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.TypedMetadata;
import dev.strata.core.VectorEncoding;
import dev.strata.core.VectorIndex;
import dev.strata.core.VectorSource;
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
 * <p>Every {@code add} and {@code delete} commits: when it returns, the change is durable and one
 * snapshot. Scores follow Spring AI's convention, the cosine similarity (Strata's own score is
 * {@code (1 + cosine) / 2}); {@code similarityThreshold} is compared with it, and
 * {@link SearchRequest#SIMILARITY_THRESHOLD_ACCEPT_ALL} accepts every hit. Each result also carries
 * the metadata entry {@code distance} ({@code 1 - similarity}), as Spring AI's stores do.
 *
 * <p>Thread-safe. Closing it closes the index if the store opened it; never the embedder.
 */
public final class StrataVectorStore implements VectorStore, AutoCloseable {
  /** The metadata key Spring AI's stores put the distance under. */
  public static final String DISTANCE = "distance";

  private final VectorIndex index;
  private final boolean ownsIndex;
  private final TextIndex texts;

  private StrataVectorStore(VectorIndex index, boolean ownsIndex, Embedder embedder) {
    this.index = index;
    this.ownsIndex = ownsIndex;
    this.texts = TextIndex.of(index, embedder); // refuses an index of another model
  }

  /** Opens the index at {@code path}, creating it for {@code embedder}'s model if there is none. */
  public static StrataVectorStore open(Path path, Embedder embedder) {
    return open(path, embedder, VectorEncoding.FLOAT32, IndexOptions.DEFAULTS);
  }

  public static StrataVectorStore open(Path path, Embedder embedder, VectorEncoding encoding, IndexOptions options) {
    IndexSchema schema = IndexSchema.forEmbedder(embedder).encoding(encoding).build();
    VectorIndex index = VectorIndex.openOrCreate(path, schema, options);
    try {
      return new StrataVectorStore(index, true, embedder);
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /** Wraps an index the caller opened and will close. */
  public static StrataVectorStore of(VectorIndex index, Embedder embedder) {
    return new StrataVectorStore(index, false, embedder);
  }

  public VectorIndex index() {
    return index;
  }

  @Override
  public String getName() {
    return "StrataVectorStore";
  }

  @Override
  public <T> Optional<T> getNativeClient() {
    @SuppressWarnings("unchecked")
    T client = (T) index;
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
      records.add(new TextRecord(document.getId(), document.getText(), TypedMetadata.encode(document.getMetadata())));
    }
    texts.upsertAll(records);
    index.commit("spring-ai: add " + records.size());
  }

  @Override
  public void delete(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("ids must not be null or empty");
    }
    index.deleteAll(ids);
    index.commit("spring-ai: delete " + ids.size() + " by id");
  }

  @Override
  public void delete(Filter.Expression filter) {
    Objects.requireNonNull(filter, "filter");
    index.deleteWhere(new FilterExpressions(index.metadataFields()).translate(filter));
    index.commit("spring-ai: delete by filter " + filter);
  }

  @Override
  public List<Document> similaritySearch(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    var search = dev.strata.core.SearchRequest.builder(texts.embedder().embed(request.getQuery()))
        .k(request.getTopK())
        .ef(Math.max(request.getTopK(), dev.strata.core.SearchRequest.DEFAULT_EF))
        .source(VectorSource.model(texts.embedder().fingerprint()));
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

  @Override
  public void close() {
    if (ownsIndex) {
      index.close();
    }
  }

  @Override
  public String toString() {
    return "StrataVectorStore[" + index.path() + ", " + texts.embedder().fingerprint().shortForm() + "]";
  }

  /** The stored record of {@code id}, for callers that want the vector too. */
  public Optional<Record> get(String id) {
    return index.get(id);
  }
}
