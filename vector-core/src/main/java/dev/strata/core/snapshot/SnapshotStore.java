package dev.strata.core.snapshot;

import dev.strata.core.PinnedReader;
import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;

/**
 * What an {@link IndexHistory} needs of its open index: the kept commits, a reader on one, and
 * the few writes a revert, a rollback and a tag make. Strata's index implements it over its
 * engine; applications get a history from {@code VectorIndex.history()}, never a store. Every
 * method fails with {@code IllegalStateException} once the index is closed.
 */
public interface SnapshotStore {
  /** The index's directory on disk. */
  Path path();

  /** The index's Lucene directory, for reading a commit's files. */
  Directory directory();

  /**
   * The kept commit that {@code idOrTag} names.
   *
   * @throws IllegalArgumentException if no kept snapshot has that id or tag
   */
  IndexCommit commitFor(String idOrTag);

  /** Fails if {@code commit}'s files are damaged or missing, before anything reads it. */
  void checkBeforeServing(IndexCommit commit) throws IOException;

  /** Every kept snapshot, oldest first, with its tags and the bytes only it pins. */
  List<SnapshotSummary> list() throws IOException;

  /** The commit points that cannot be read, each as "FILE: problem". */
  List<String> unreadableCommitPoints() throws IOException;

  /** A new reader on {@code commit}, searched as the index searches, unmetered. */
  PinnedReader open(IndexCommit commit) throws IOException;

  /** The id of the latest committed snapshot, the one searches see now. */
  long latestSnapshotId();

  /** Whether accepted writes wait for a commit. */
  boolean hasBufferedWrites();

  /**
   * Deletes {@code toDelete}, writes {@code toRestore} with their vectors kept bit for bit, and
   * commits both as one snapshot with {@code message}.
   */
  SnapshotInfo commitRevert(List<String> toDelete, List<Record> toRestore, String message);

  /** Makes a kept snapshot the current state; see {@link IndexHistory#rollbackTo}. */
  SnapshotInfo rollbackTo(String idOrTag);

  /** Points {@code tag} at a kept snapshot. */
  void tag(String idOrTag, String tag) throws IOException;

  /** Removes {@code tag}. */
  void untag(String tag);
}
