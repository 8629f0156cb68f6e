package dev.strata.core;

/**
 * Lifetime counters of an index, kept in each snapshot's commit data: they survive restarts and
 * travel with the index (process metrics start from zero each run; these do not). A rollback
 * keeps counting from the latest value, not from the older snapshot's.
 *
 * @param recordsUpserted records written (an update of an existing id counts once more)
 * @param deleteRequests ids given to delete, plus one per delete-by-filter or delete-all
 * @param rejectedWrites write batches refused by validation or the drift guard (each names its
 *     first bad record; none of its records went in)
 * @param commits snapshots committed, rollbacks and compactions included
 * @param rollbacks rollbacks to an older snapshot
 * @param compactions compactions committed
 * @param compactionBytesRead bytes compactions read
 * @param compactionBytesWritten bytes compactions wrote
 */
public record IndexCounters(
    long recordsUpserted,
    long deleteRequests,
    long rejectedWrites,
    long commits,
    long rollbacks,
    long compactions,
    long compactionBytesRead,
    long compactionBytesWritten) {

  public static final IndexCounters ZERO = new IndexCounters(0, 0, 0, 0, 0, 0, 0, 0);
}
