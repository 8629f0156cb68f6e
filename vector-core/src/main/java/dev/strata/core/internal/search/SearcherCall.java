package dev.strata.core.internal.search;

import java.io.IOException;

/** A call on the searcher of one snapshot, held for the call only. */
@FunctionalInterface
public interface SearcherCall<T> {
  T apply(SnapshotSearcher searcher) throws IOException;
}
