package dev.strata.core.internal.search;

import dev.strata.core.Hit;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.RecordValidationException;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.SearchPath;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.StrataException;
import dev.strata.core.VectorEncoding;
import dev.strata.core.internal.records.DriftGuard;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.RecordValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

/**
 * Runs a {@link SearchRequest} on one snapshot of one index: checks the query vector against the
 * index's schema and its model (drift guard), then searches. Shared by the index's own searches,
 * time-travel views and {@code SearcherHandle} views. Thread-safe.
 */
public final class SearchRunner {
  private final Path index;
  private final IndexSchema schema;
  private final RecordValidator validator;
  private final DriftGuard driftGuard;
  private final String model; // for hits' provenance

  public SearchRunner(Path index, IndexSchema schema, DriftGuard driftGuard) {
    this.index = index;
    this.schema = schema;
    this.validator = new RecordValidator(schema, IndexOptions.DEFAULT_MAX_TEXT_BYTES);
    this.model = schema.modelFingerprint();
    this.driftGuard = driftGuard;
  }

  public SearchRunner(Path index, IndexSchema schema) {
    this(index, schema, new DriftGuard(index, schema.modelFingerprint()));
  }

  public Path index() {
    return index;
  }

  public IndexSchema schema() {
    return schema;
  }

  public DriftGuard driftGuard() {
    return driftGuard;
  }

  public SearchResult run(SnapshotSearcher searcher, SearchRequest request) {
    return run(searcher, request, SearchDeadline.NONE);
  }

  /**
   * {@link #run(SnapshotSearcher, SearchRequest)} that stops at {@code deadline}: the result holds
   * what was found by then and is {@link SearchResult#timedOut()}.
   */
  public SearchResult run(SnapshotSearcher searcher, SearchRequest request, SearchDeadline deadline) {
    if (request.hasVector()) {
      driftGuard.check(request.source(), "search");
    }
    return runUnguarded(searcher, request, deadline);
  }

  /**
   * {@link #run} without the drift guard: for the searches Strata itself makes (warm-up).
   *
   * <p>A vector search takes the best {@code k} of the graph's (or the exact scan's) candidates; a
   * text search the best {@code k} by BM25; a hybrid search fuses the best {@code ef} of each.
   */
  public SearchResult runUnguarded(SnapshotSearcher searcher, SearchRequest request) {
    return runUnguarded(searcher, request, SearchDeadline.NONE);
  }

  private SearchResult runUnguarded(SnapshotSearcher searcher, SearchRequest request, SearchDeadline deadline) {
    float[] query = request.hasVector() ? checkedQuery(request) : null;
    if (request.text() != null && !schema.fullText()) {
      throw new SchemaMismatchException(index, List.of(
          "fullText: expected true to search by text, actual false (schema.fullText=false: the index was"
              + " created before full-text search existed, or without it); rebuild it to index its texts"));
    }
    long start = System.nanoTime();
    Query filter =
        request.filter() == null ? null : FilterQueries.toQuery(request.filter(), searcher.metadataTypes());
    try {
      ScoreDoc[] ranked;
      Float minScore = request.minScore();
      SearchPath path = path(request, filter);
      if (!request.hasVector()) {
        ranked = searcher.bm25(request.text(), request.k(), filter);
      } else {
        int depth = request.isHybrid() ? request.ef() : request.k();
        ScoreDoc[] vectorHits = request.exact()
            ? searcher.exactKnn(query, depth, filter, LuceneDocuments.luceneSimilarity(schema.similarity()))
            : searcher.knn(query, request.ef(), filter, schema.encoding() != VectorEncoding.FLOAT32, deadline);
        if (request.isHybrid() && !deadline.shouldExit()) {
          ScoreDoc[] textHits = searcher.bm25(request.text(), request.ef(), filter);
          ranked = RankFusion.fuse(aboveMinScore(vectorHits, depth, minScore), textHits, request.fusion());
          minScore = null; // applied to the vector hits; fused scores are on another scale
        } else {
          ranked = request.isHybrid() ? aboveMinScore(vectorHits, depth, minScore) : vectorHits;
        }
      }
      List<Hit> hits = searcher.hits(ranked, request.k(), minScore, request.idsOnly());
      if (request.provenance()) {
        hits = HitIds.withProvenance(searcher.getIndexReader(), ranked, hits, model);
      }
      return new SearchResult(searcher.snapshot().id(), hits, System.nanoTime() - start, false, path, deadline.reached());
    } catch (IOException | UncheckedIOException e) {
      throw new StrataException(
          "search failed on snapshot " + searcher.snapshot().id() + " of index " + index + ": " + e, e);
    }
  }

  /** The way {@link SnapshotSearcher#knn} and its siblings take for {@code request}. */
  private SearchPath path(SearchRequest request, Query filter) {
    if (!request.hasVector()) {
      return SearchPath.TEXT;
    }
    if (request.isHybrid()) {
      return SearchPath.HYBRID;
    }
    if (request.exact()) {
      return SearchPath.EXACT;
    }
    return filter == null ? SearchPath.GRAPH : SearchPath.LUCENE_QUERY;
  }

  private float[] checkedQuery(SearchRequest request) {
    try {
      return validator.checkVector("<query>", "vector", request.vector());
    } catch (RecordValidationException e) {
      throw new IllegalArgumentException("query vector: " + e.detail(), e);
    }
  }

  /** The first {@code depth} hits scoring at least {@code minScore}; hits come best first. */
  private static ScoreDoc[] aboveMinScore(ScoreDoc[] hits, int depth, Float minScore) {
    int n = Math.min(depth, hits.length);
    if (minScore != null) {
      int kept = 0;
      while (kept < n && hits[kept].score >= minScore) {
        kept++;
      }
      n = kept;
    }
    return n == hits.length ? hits : Arrays.copyOf(hits, n);
  }
}
