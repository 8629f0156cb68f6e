package dev.strata.core.internal.catalog;

import dev.strata.core.IndexCounters;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live values of an index's {@link IndexCounters}: loaded from the latest commit, counted up
 * by the writer, and written into every commit's data ({@code counters.*} keys; an index from
 * before counters existed starts at zero). Thread-safe.
 */
public final class PersistentCounters {
  private static final String PREFIX = "counters.";
  private static final String[] NAMES = {
    "recordsUpserted", "deleteRequests", "rejectedWrites", "commits", "rollbacks", "compactions",
    "compactionBytesRead", "compactionBytesWritten"
  };
  private static final int UPSERTED = 0;
  private static final int DELETES = 1;
  private static final int REJECTED = 2;
  private static final int COMMITS = 3;
  private static final int ROLLBACKS = 4;
  private static final int COMPACTIONS = 5;
  private static final int COMPACTION_READ = 6;
  private static final int COMPACTION_WRITTEN = 7;

  private final AtomicLong[] values = new AtomicLong[NAMES.length];

  private PersistentCounters(long[] initial) {
    for (int i = 0; i < values.length; i++) {
      values[i] = new AtomicLong(initial[i]);
    }
  }

  /** The counters a commit recorded. */
  public static IndexCounters read(Map<String, String> commitData) {
    return from(commitData).snapshot();
  }

  public static PersistentCounters from(Map<String, String> commitData) {
    long[] initial = new long[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) {
      String value = commitData.get(PREFIX + NAMES[i]);
      try {
        initial[i] = value == null ? 0 : Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new dev.strata.core.StrataException(
            "commit data " + PREFIX + NAMES[i] + "='" + value + "' is not a count: the commit is damaged", e);
      }
    }
    return new PersistentCounters(initial);
  }

  public void upserted(int records) {
    values[UPSERTED].addAndGet(records);
  }

  public void deleteRequested(int count) {
    values[DELETES].addAndGet(count);
  }

  public void rejected() {
    values[REJECTED].incrementAndGet();
  }

  /** Counts the commit about to be written, so that commit's data includes itself. */
  public void committing() {
    values[COMMITS].incrementAndGet();
  }

  /** Takes back {@link #committing()} when the commit it counted failed. */
  public void commitFailed() {
    values[COMMITS].decrementAndGet();
  }

  /** Starts again from what {@code commitData} recorded: the writes counted since are gone. */
  public void reloadFrom(Map<String, String> commitData) {
    PersistentCounters committed = from(commitData);
    for (int i = 0; i < values.length; i++) {
      values[i].set(committed.values[i].get());
    }
  }

  public void rollingBack() {
    values[ROLLBACKS].incrementAndGet();
  }

  public void compacting(long bytesRead, long bytesWritten) {
    values[COMPACTIONS].incrementAndGet();
    values[COMPACTION_READ].addAndGet(bytesRead);
    values[COMPACTION_WRITTEN].addAndGet(bytesWritten);
  }

  /** Adds the current values to a commit's data. */
  public Map<String, String> writeTo(Map<String, String> commitData) {
    for (int i = 0; i < NAMES.length; i++) {
      commitData.put(PREFIX + NAMES[i], Long.toString(values[i].get()));
    }
    return commitData;
  }

  public IndexCounters snapshot() {
    return new IndexCounters(values[UPSERTED].get(), values[DELETES].get(), values[REJECTED].get(),
        values[COMMITS].get(), values[ROLLBACKS].get(), values[COMPACTIONS].get(), values[COMPACTION_READ].get(),
        values[COMPACTION_WRITTEN].get());
  }
}
