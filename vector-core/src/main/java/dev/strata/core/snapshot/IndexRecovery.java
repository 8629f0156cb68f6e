package dev.strata.core.snapshot;

import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.internal.CommitData;
import dev.strata.core.internal.IndexWriters;
import dev.strata.core.internal.PersistentCounters;
import dev.strata.core.internal.SnapshotCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * What an operator does when the newest snapshot is damaged and the index will not open: verify
 * every kept snapshot without opening the latest, and roll back to one that is intact. Neither
 * needs more than the damaged snapshot's commit point to be readable; both work on the directory
 * directly. Verifying only reads; rolling back takes the writer's lock like any writer (a running
 * writer makes it fail with {@link dev.strata.core.IndexLockedException}).
 */
public final class IndexRecovery {
  private IndexRecovery() {}

  /**
   * Verifies every kept snapshot of the index in {@code path}, oldest first (see {@link
   * IndexHistory#verify}); a snapshot that cannot even be read gets a failed {@code open} check
   * naming why.
   */
  public static List<VerificationReport> verifyAll(Path path) {
    try (Directory directory = open(path)) {
      List<VerificationReport> reports = new ArrayList<>();
      for (IndexCommit commit : new SnapshotCatalog(path, directory).commits()) {
        SnapshotInfo manifest = CommitData.snapshot(commit.getUserData());
        reports.add(new VerificationReport(manifest.id(), SnapshotVerifier.verify(commit, manifest)));
      }
      return reports;
    } catch (IOException e) {
      throw new StrataException("cannot list the snapshots of index " + path + ": " + e, e);
    }
  }

  /**
   * Makes kept snapshot {@code idOrTag} current again, as a new snapshot, without opening the
   * current one (which may be damaged). The target is verified first and refused if it is damaged
   * too. Snapshots after it stay kept (retention ages them out), so nothing is destroyed.
   *
   * @return the new snapshot, holding the target's records
   */
  public static SnapshotInfo rollback(Path path, String idOrTag) {
    try (Directory directory = open(path)) {
      SnapshotCatalog catalog = new SnapshotCatalog(path, directory);
      IndexCommit target = catalog.commitFor(idOrTag);
      SnapshotInfo targetInfo = CommitData.snapshot(target.getUserData());
      List<VerificationReport.Check> failed = SnapshotVerifier.verify(target, targetInfo).stream()
          .filter(c -> !c.passed()).toList();
      if (!failed.isEmpty()) {
        throw new StrataException("snapshot " + targetInfo.id() + " of index " + path + " is damaged too ("
            + failed.get(0).name() + ": " + failed.get(0).detail() + "); verify the index and pick an intact snapshot");
      }
      Map<String, String> latestData = catalog.commits().getLast().getUserData();
      IndexSchema schema = CommitData.schema(target.getUserData());
      try (IndexWriter writer = IndexWriters.open(path, directory, schema, IndexOptions.DEFAULTS, target)) {
        return IndexWriters.commitRollback(writer, path, schema, target, idOrTag, CommitData.snapshot(latestData).id() + 1,
            PersistentCounters.from(latestData), "recovery: rollback", IndexOptions.DEFAULTS);
      }
    } catch (IOException e) {
      throw new StrataException("recovery of index " + path + " to snapshot " + idOrTag + " failed: " + e, e);
    }
  }

  private static Directory open(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new IndexNotFoundException(path, "no such directory");
    }
    return FSDirectory.open(path);
  }
}
