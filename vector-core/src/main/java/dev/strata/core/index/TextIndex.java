package dev.strata.core.index;

import dev.strata.core.VectorSource;
import dev.strata.core.TextRecord;
import dev.strata.core.SearchResult;
import dev.strata.core.SearchRequest;
import dev.strata.core.RejectListener;
import dev.strata.core.Record;
import dev.strata.core.MetadataFilter;
import dev.strata.core.IngestReport;
import dev.strata.core.IndexSchema;
import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link VectorIndex} written and searched by text through one {@link Embedder}. Opening one
 * checks that the embedder's model is the one the index was built with, so documents and queries
 * can never come from two models. Thread-safe if the index and embedder are. Does not own either:
 * close them yourself.
 *
 * <pre>{@code
 * try (Embedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
 *     VectorIndex index = VectorIndex.create(dir, IndexSchema.forEmbedder(embedder).build())) {
 *   TextIndex texts = TextIndex.of(index, embedder);
 *   texts.upsertAll(List.of(TextRecord.of("doc-1", "Strata keeps snapshots as Lucene commits.")));
 *   index.commit("docs");
 *   SearchResult result = texts.search("how are snapshots stored?", 5, null);
 * }
 * }</pre>
 */
public final class TextIndex {
  /** Texts embedded per call to the embedder when ingesting; it cuts its own sub-batches by tokens. */
  public static final int EMBED_CHUNK = 256;

  private final VectorIndex index;
  private final Embedder embedder;
  private final VectorSource source;

  private TextIndex(VectorIndex index, Embedder embedder) {
    this.index = index;
    this.embedder = embedder;
    this.source = VectorSource.model(embedder.fingerprint());
  }

  /**
   * Pairs an index with the embedder that writes and queries it.
   *
   * @throws EmbeddingDriftException if the index was built with another model
   * @throws IllegalArgumentException if the embedder's dimension is not the index's
   */
  public static TextIndex of(VectorIndex index, Embedder embedder) {
    index.requireModel(embedder.fingerprint(), embedder.dimension(), "opening for text");
    return new TextIndex(index, embedder);
  }

  /** The index texts go to. */
  public VectorIndex index() {
    return index;
  }

  /** The embedder texts are embedded with. */
  public Embedder embedder() {
    return embedder;
  }

  /**
   * Embeds and buffers the records (commit on the index to make them durable), {@value
   * #EMBED_CHUNK} at a time: an invalid record refuses its chunk, and chunks before it stay buffered.
   */
  public void upsertAll(List<TextRecord> records) {
    ingest(records, null);
  }

  /**
   * Embeds the records and buffers each valid one; each invalid one goes to {@code rejects} with
   * its position in {@code records} (see {@link VectorIndex#ingest}).
   */
  public IngestReport ingest(List<TextRecord> records, RejectListener rejects) {
    int accepted = 0;
    int rejected = 0;
    for (int from = 0; from < records.size(); from += EMBED_CHUNK) {
      List<TextRecord> chunk = records.subList(from, Math.min(records.size(), from + EMBED_CHUNK));
      List<float[]> vectors = embedder.embed(chunk.stream().map(TextRecord::text).toList());
      List<Record> batch = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        TextRecord r = chunk.get(i);
        batch.add(new Record(r.id(), vectors.get(i), r.text(), r.metadata(), r.source()));
      }
      if (rejects == null) {
        index.upsertAll(batch, source);
        accepted += batch.size();
      } else {
        int offset = from;
        IngestReport report = index.ingest(batch, source, (position, record, reason) ->
            rejects.rejected(offset + position, record, reason));
        accepted += report.accepted();
        rejected += report.rejected();
      }
    }
    return new IngestReport(accepted, rejected);
  }

  /** The k records nearest to {@code text}, optionally filtered. */
  public SearchResult search(String text, int k, MetadataFilter filter) {
    return search(text, k, filter, null);
  }

  /**
   * {@link #search(String, int, MetadataFilter)} within {@code timeout} (null for none), the
   * embedding's time included: past it, the result is flagged {@link SearchResult#timedOut()}.
   */
  public SearchResult search(String text, int k, MetadataFilter filter, java.time.Duration timeout) {
    long start = System.nanoTime();
    float[] vector = embedder.embed(text);
    SearchRequest request = SearchRequest.builder(vector).k(k).filter(filter).source(source).timeout(timeout).build();
    return index.searches().search(request, start, IndexSearches.deadlineOf(request, start));
  }
}
