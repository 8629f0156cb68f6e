package dev.strata.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The reads of one committed snapshot held open: what a {@code snapshot.SnapshotView} is built
 * on. Strata's engine implements it; applications use views, which add the embedder, the monitor
 * and the checks against use after close. {@link #close()} gives the snapshot's files back.
 */
public interface PinnedReader extends PinnedSnapshot {
  /** The snapshot held. */
  SnapshotInfo snapshot();

  /** The directory of the index the snapshot belongs to. */
  Path indexPath();

  /** The schema of the snapshot. */
  IndexSchema schema();

  /** The record {@code id} as the snapshot holds it. */
  Optional<Record> get(String id) throws IOException;

  /** Every live record, vectors as stored, segment by segment in document order. */
  void forEachRecord(Consumer<Record> consumer) throws IOException;

  /** The stored hash of every live record, by id. */
  Map<String, Long> recordHashes() throws IOException;

  /**
   * What changed from {@code earlier} (a snapshot of this index or of another) to this snapshot,
   * by id, walking both in id order: heap grows with the changes, not with the records.
   *
   * @throws IllegalArgumentException if {@code earlier} is not one of Strata's readers
   */
  RecordChanges changesSince(PinnedReader earlier) throws IOException;

  /** Live records by source label, most first; unlabelled records under {@code ""}. */
  Map<String, Long> recordsPerSource() throws IOException;

  /** Live records in the snapshot. */
  long liveCount();

  /**
   * Another hold on the same snapshot whose searches are not metered (a recall sample's exact
   * search), or null once this one is closed; close it too.
   */
  PinnedReader pinAgain();
}
