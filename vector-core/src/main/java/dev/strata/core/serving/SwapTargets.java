package dev.strata.core.serving;

import dev.strata.core.Embedder;
import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexSchema;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.CommittedHead;
import dev.strata.core.internal.catalog.SnapshotCatalog;
import dev.strata.core.internal.records.DriftGuard;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;

/**
 * What a handle checks and opens before it swaps: the new reader, and whether it can serve the
 * handle's queries.
 */
final class SwapTargets {
  private SwapTargets() {}

  /**
   * A reader on the requested commit (the latest when {@code snapshot} is null), or null if
   * {@code previous}, a reader on the same index, already reads exactly that one.
   */
  static DirectoryReader openReader(Path target, DirectoryPool.Shared directory, String snapshot,
      DirectoryReader previous) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return openReaderOnce(target, directory, snapshot, previous);
      } catch (PrunedWhileOpening e) {
        if (attempt == 5) {
          throw e.getCause();
        }
        // A writer committed on and its retention pruned the commit we had just opened: open the newer one.
      }
    }
  }

  /** The latest commit was pruned between opening its files and checking them by name. */
  private static final class PrunedWhileOpening extends IOException {
    PrunedWhileOpening(NoSuchFileException cause) {
      super(cause);
    }

    @Override
    public synchronized NoSuchFileException getCause() {
      return (NoSuchFileException) super.getCause();
    }
  }

  private static DirectoryReader openReaderOnce(Path target, DirectoryPool.Shared directory, String snapshot,
      DirectoryReader previous) throws IOException {
    IndexCommit commit = null;
    if (snapshot != null) {
      commit = new SnapshotCatalog(target, directory.directory()).commitFor(snapshot);
    } else if (!DirectoryReader.indexExists(directory.directory())) {
      throw new IndexNotFoundException(target, "the directory holds no committed index");
    }
    java.util.OptionalLong committedHead = CommittedHead.read(target); // before the commit point, see wentBackwards
    DirectoryReader reader;
    try {
      if (previous != null) { // same index: share the segments both snapshots have
        reader = commit == null ? DirectoryReader.openIfChanged(previous) : DirectoryReader.openIfChanged(previous, commit);
        if (reader == null) {
          return null;
        }
      } else {
        reader = commit == null ? DirectoryReader.open(directory.directory()) : DirectoryReader.open(commit);
      }
    } catch (IOException e) { // a vanished file, or Lucene's CorruptIndexException wrapping one
      if (commit != null && !SnapshotCatalog.stillKept(directory.directory(), commit)) {
        // Retention (a commit's or a compaction's prune) deleted the snapshot while it was being opened.
        throw new IllegalArgumentException("index " + target + " no longer keeps snapshot " + snapshot
            + ": retention deleted it while the swap opened it", e);
      }
      throw e;
    }
    try {
      if (!CommitData.isStrataCommit(reader.getIndexCommit().getUserData())) {
        throw new IndexNotFoundException(target, "a Lucene index, but not a Strata one");
      }
      if (commit == null) {
        long latest = CommitData.snapshot(reader.getIndexCommit().getUserData()).id();
        CommittedHead.wentBackwards(committedHead, latest).ifPresent(problem -> {
          throw new IndexDamagedException(target, problem);
        });
      }
      try {
        directory.checksums().beforeServing(reader.getIndexCommit()); // nothing is served from a damaged file
      } catch (NoSuchFileException e) { // the reader opened the file, so it was there: deleted since
        if (commit != null) {
          throw new IllegalArgumentException("index " + target + " no longer keeps snapshot " + snapshot
              + ": retention deleted it while the swap opened it", e);
        }
        throw new PrunedWhileOpening(e);
      }
      return reader;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * The embedder views of the new target carry: {@code offered} if given (checked against the
   * target's model), else the current one; throws if the target cannot serve this handle's queries.
   *
   * @param now the current view's schema, or null for a handle's first view
   */
  static Embedder checkCompatible(IndexSchema now, Embedder current, Path target, IndexSchema next, Embedder offered) {
    if (now != null) {
      List<String> differences =
          IndexSchema.shapeDifferences(now.dimension(), now.similarity(), next.dimension(), next.similarity());
      if (!differences.isEmpty()) {
        throw new SchemaMismatchException(target, differences);
      }
    }
    if (offered != null) {
      new DriftGuard(target, next.modelFingerprint()).check(offered.fingerprint(), "swap");
      if (offered.dimension() != next.dimension()) {
        throw new IllegalArgumentException("embedder " + offered.fingerprint().shortForm() + " makes "
            + offered.dimension() + "-d vectors, index " + target + " holds " + next.dimension() + "-d");
      }
      return offered;
    }
    if (now != null && !Objects.equals(now.modelFingerprint(), next.modelFingerprint())) {
      throw new EmbeddingDriftException(target, next.modelFingerprint(), now.modelFingerprint(),
          "swap (pass the new model's embedder to switch models)");
    }
    return current;
  }
}
