package dev.strata.core;

import dev.strata.core.internal.FilterQueries;
import dev.strata.core.internal.RecordValidator;
import dev.strata.core.internal.SnapshotSearcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.search.Query;

/**
 * Runs a {@link SearchRequest} on one snapshot of one index: checks the query vector against the
 * index's schema and its model (drift guard), then searches. Shared by the index's own searches,
 * time-travel views and {@link SearcherHandle} views. Thread-safe.
 */
final class SnapshotSearch {
  private final Path index;
  private final IndexSchema schema;
  private final RecordValidator validator;
  private final DriftGuard driftGuard;

  SnapshotSearch(Path index, IndexSchema schema, DriftGuard driftGuard) {
    this.index = index;
    this.schema = schema;
    this.validator = new RecordValidator(schema, IndexOptions.DEFAULT_MAX_TEXT_BYTES);
    this.driftGuard = driftGuard;
  }

  SnapshotSearch(Path index, IndexSchema schema) {
    this(index, schema, new DriftGuard(index, schema.modelFingerprint()));
  }

  Path index() {
    return index;
  }

  IndexSchema schema() {
    return schema;
  }

  DriftGuard driftGuard() {
    return driftGuard;
  }

  SearchResult run(SnapshotSearcher searcher, SearchRequest request) {
    driftGuard.check(request.source(), "search");
    return runUnguarded(searcher, request);
  }

  /** {@link #run} without the drift guard: for the searches Strata itself makes (warm-up). */
  SearchResult runUnguarded(SnapshotSearcher searcher, SearchRequest request) {
    float[] query;
    try {
      query = validator.checkVector("<query>", "vector", request.vector());
    } catch (RecordValidationException e) {
      throw new IllegalArgumentException("query vector: " + e.detail(), e);
    }
    long start = System.nanoTime();
    Query filter =
        request.filter() == null ? null : FilterQueries.toQuery(request.filter(), searcher.metadataTypes());
    try {
      List<Hit> hits = searcher.knn(
          query, request.k(), request.ef(), filter, request.minScore(),
          schema.encoding() != VectorEncoding.FLOAT32);
      return new SearchResult(searcher.snapshot().id(), hits, System.nanoTime() - start);
    } catch (IOException e) {
      throw new StrataException(
          "search failed on snapshot " + searcher.snapshot().id() + " of index " + index + ": " + e, e);
    }
  }
}
