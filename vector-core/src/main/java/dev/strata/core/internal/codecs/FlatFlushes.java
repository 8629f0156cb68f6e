package dev.strata.core.internal.codecs;

import dev.strata.core.IndexOptions;
import java.util.function.BooleanSupplier;

/**
 * Whether segments the writer starts now are flushed without their HNSW graph: always with
 * {@link IndexOptions#deferGraphs()}, and during a bulk load ({@link IndexOptions#bulkLoadRecords()}
 * records or more written since the last commit) otherwise. Asked by {@link
 * DeferredGraphVectorsFormat} when a segment's vectors writer opens, which is with its first record.
 */
public final class FlatFlushes implements BooleanSupplier {
  private final boolean always;
  private final int bulkLoadRecords; // 0, or with deferGraphs: never a bulk load, whose graph Strata would build
  private long sinceCommit; // guarded by this
  private volatile boolean bulkLoad;

  public FlatFlushes(IndexOptions options) {
    this.always = options.deferGraphs();
    this.bulkLoadRecords = always ? 0 : options.bulkLoadRecords();
  }

  /**
   * Counts {@code records} written into the current commit's window; true for the write that
   * makes it a bulk load (once per window).
   */
  public synchronized boolean written(int records) {
    if (bulkLoadRecords == 0 || bulkLoad) {
      return false;
    }
    sinceCommit += records;
    bulkLoad = sinceCommit >= bulkLoadRecords;
    return bulkLoad;
  }

  /**
   * Ends the window, at a commit or at a graph build on the caller's thread: whether it was a bulk
   * load, whose graph-less segments a commit then has built.
   */
  public synchronized boolean endWindow() {
    boolean was = bulkLoad;
    bulkLoad = false;
    sinceCommit = 0;
    return was;
  }

  /** Whether a bulk load is under way (not counting {@code deferGraphs}). */
  public boolean bulkLoading() {
    return bulkLoad;
  }

  /** Whether the graph of graph-less segments is built by Strata, not by its caller (deferGraphs). */
  public boolean buildsGraphs() {
    return bulkLoadRecords > 0;
  }

  @Override
  public boolean getAsBoolean() {
    return always || bulkLoad;
  }
}
