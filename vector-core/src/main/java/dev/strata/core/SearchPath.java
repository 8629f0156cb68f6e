package dev.strata.core;

import java.util.Locale;

/**
 * Which way a search reached its hits ({@link SearchResult#path()}): worth knowing when a search
 * is slower than its neighbours, and counted per path in the metrics ({@code strata.search.path}).
 */
public enum SearchPath {
  /**
   * The HNSW graph of each segment searched directly, without Lucene's query machinery: an
   * unfiltered search (of a quantized index: its quantized graph, the candidates re-scored in
   * float32). A segment without its graph yet (a bulk load) is scanned exhaustively.
   */
  GRAPH,
  /**
   * Lucene's vector query: a filtered search (which scans exhaustively where the filter matches too
   * few records for the graph to pay), re-scored in float32 on a quantized index.
   */
  LUCENE_QUERY,
  /** Every stored vector scored ({@link SearchRequest#exact()}). */
  EXACT,
  /** BM25 over the records' texts alone. */
  TEXT,
  /** A vector search and a text search, fused. */
  HYBRID;

  /** The lower-case name used in JSON and metric tags. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
