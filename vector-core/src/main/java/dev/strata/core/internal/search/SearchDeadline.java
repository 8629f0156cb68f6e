package dev.strata.core.internal.search;

import java.util.function.LongSupplier;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.KnnCollector;

/**
 * A search's deadline where the search itself can see it: Lucene's {@link QueryTimeout} for its
 * queries, and a collector that stops an HNSW walk mid-segment. Remembers whether the search
 * stopped at it, so the result can say it is partial. One per search; {@link #NONE} for none.
 */
public final class SearchDeadline implements QueryTimeout {
  /** No deadline: nothing is wrapped, so a search without one pays nothing. */
  public static final SearchDeadline NONE = new SearchDeadline(Long.MAX_VALUE, System::nanoTime);

  private final long deadlineNanos;
  private final LongSupplier clock;
  private volatile boolean reached;

  private SearchDeadline(long deadlineNanos, LongSupplier clock) {
    this.deadlineNanos = deadlineNanos;
    this.clock = clock;
  }

  /** A deadline at {@code deadlineNanos} of {@link System#nanoTime()}; {@link Long#MAX_VALUE} for none. */
  public static SearchDeadline at(long deadlineNanos) {
    return at(deadlineNanos, System::nanoTime);
  }

  /** A deadline on {@code clock} (tests step it by hand). */
  static SearchDeadline at(long deadlineNanos, LongSupplier clock) {
    return deadlineNanos == Long.MAX_VALUE ? NONE : new SearchDeadline(deadlineNanos, clock);
  }

  public boolean isNone() {
    return this == NONE;
  }

  /** True once the deadline has passed; the search that asked stops and returns what it has. */
  @Override
  public boolean shouldExit() {
    if (this == NONE) {
      return false;
    }
    if (clock.getAsLong() - deadlineNanos > 0) {
      reached = true;
      return true;
    }
    return false;
  }

  /** Whether a search stopped (or did not start a part) because of this deadline. */
  public boolean reached() {
    return reached;
  }

  /** {@code collector}, ending the graph walk at the deadline; itself when there is none. */
  KnnCollector limit(KnnCollector collector) {
    if (this == NONE) {
      return collector;
    }
    return new KnnCollector.Decorator(collector) {
      @Override
      public boolean earlyTerminated() {
        return super.earlyTerminated() || shouldExit();
      }
    };
  }
}
