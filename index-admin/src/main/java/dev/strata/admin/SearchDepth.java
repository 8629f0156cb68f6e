package dev.strata.admin;

import dev.strata.core.SearchRequest;
import picocli.CommandLine.Option;

/**
 * {@code -k} and {@code --ef}, declared once for every command that searches an index (search,
 * monitor), so their names, defaults and help cannot drift apart. ({@code eval} keeps its own
 * {@code --ef}: it always asks for 100 hits, for recall@100.)
 */
final class SearchDepth {
  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "Hits per search (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--ef", description = "Search effort, >= k (default: max(k, 100)).")
  Integer ef;

  /** {@code request} with this k, and this effort when given. */
  SearchRequest.Builder applyTo(SearchRequest.Builder request) {
    request.k(k);
    return ef == null ? request : request.ef(ef);
  }
}
