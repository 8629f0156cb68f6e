package dev.strata.core.snapshot;

import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.CommitPoints;
import dev.strata.core.internal.catalog.CommittedHead;
import dev.strata.core.internal.catalog.PersistentCounters;
import dev.strata.core.internal.catalog.SnapshotCatalog;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.engine.IndexWriters;
import dev.strata.core.snapshot.VerificationReport.Check;
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
   * Verifies the index in {@code path} as a whole without opening it: every commit point is read on
   * its own (a damaged one is a failed {@code commitPoints} check, and hides no other), the newest
   * commit point must hold the newest snapshot committed ({@code head}), and every readable snapshot
   * is verified as {@link #verifyAll} does.
   *
   * @throws IndexNotFoundException if the directory holds no commit point at all
   */
  public static IndexVerification verifyIndex(Path path) {
    try (Directory directory = open(path)) {
      if (CommitPoints.segmentsFiles(directory).isEmpty()) {
        throw new IndexNotFoundException(path, "the directory holds no committed index");
      }
      java.util.OptionalLong committedHead = CommittedHead.read(path); // before the commit points, see wentBackwards
      SnapshotCatalog catalog = new SnapshotCatalog(path, directory);
      List<VerificationReport> reports = new ArrayList<>();
      List<IndexCommit> commits = catalog.commits();
      for (IndexCommit commit : commits) {
        SnapshotInfo manifest = CommitData.snapshot(commit.getUserData());
        reports.add(new VerificationReport(manifest.id(), SnapshotVerifier.verify(commit, manifest)));
      }
      List<Check> checks = new ArrayList<>();
      List<CommitPoints.Damaged> damaged = catalog.damaged();
      checks.add(new Check("commitPoints", damaged.isEmpty(), damaged.isEmpty()
          ? commits.size() + " commit points read"
          : damaged.stream().map(d -> d.file() + " cannot be read (" + d.problem() + ")")
              .collect(java.util.stream.Collectors.joining("; "))));
      long newest = commits.isEmpty() ? 0 : CommitData.snapshot(commits.getLast().getUserData()).id();
      java.util.Optional<String> backwards = CommittedHead.wentBackwards(committedHead, newest);
      checks.add(new Check("head", backwards.isEmpty(), backwards.orElse(
          "the newest commit point holds snapshot " + newest + ", the newest committed")));
      checks.add(tagsCheck(path, reports));
      checks.add(permissionsCheck(path));
      List<String> aside = CommitPoints.quarantined(directory);
      if (!aside.isEmpty()) {
        checks.add(new Check("quarantine", true, "damaged commit points a writer moved aside earlier (their snapshots"
            + " are lost, the rest is intact): " + String.join(", ", aside)));
      }
      return new IndexVerification(reports, checks);
    } catch (IOException e) {
      throw new StrataException("cannot verify index " + path + ": " + e, e);
    }
  }

  /**
   * A warning, not a failure: an index that users other than its owner can write may be changed
   * behind Strata's back (its checksums catch damage, not a deliberate rewrite of a whole file).
   */
  private static Check permissionsCheck(Path path) throws IOException {
    List<String> open = new ArrayList<>();
    dev.strata.core.OwnerOnlyFiles.writableByOthers(path).ifPresent(open::add);
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(path)) {
      for (Path file : files.toList()) {
        if (open.size() < 4) {
          dev.strata.core.OwnerOnlyFiles.writableByOthers(file).ifPresent(open::add);
        }
      }
    }
    return new Check("permissions", true, open.isEmpty() ? "no other user can write the index"
        : "warning: " + String.join("; ", open));
  }

  /**
   * Every tag (and alias pin) must name a kept snapshot: retention never deletes one, so a missing
   * one was lost.
   */
  private static Check tagsCheck(Path path, List<VerificationReport> kept) {
    java.util.Map<String, Long> tags;
    try {
      tags = TagCatalog.read(path);
    } catch (StrataException e) {
      return new Check("tags", false, e.getMessage());
    }
    java.util.Set<Long> ids = new java.util.HashSet<>();
    kept.forEach(r -> ids.add(r.snapshotId()));
    List<String> lost = tags.entrySet().stream().filter(t -> !ids.contains(t.getValue()))
        .map(t -> t.getKey() + " -> " + t.getValue()).toList();
    return new Check("tags", lost.isEmpty(), lost.isEmpty() ? tags.size() + " tags, each on a kept snapshot"
        : "tags name snapshots that are gone, though retention keeps every tagged one (their commit points were"
            + " deleted or lost): " + String.join(", ", lost));
  }

  /**
   * {@link #rollback} to the newest kept snapshot that verifies sound: what an operator wants after
   * the latest snapshot was damaged or lost.
   */
  public static SnapshotInfo rollbackToNewestIntact(Path path) {
    List<Long> intact = verifyIndex(path).intactSnapshots();
    if (intact.isEmpty()) {
      throw new StrataException("index " + path + " keeps no intact snapshot to recover; restore it from an archive"
          + " ('index-admin import')");
    }
    return rollback(path, Long.toString(intact.getLast()));
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
      // After the newest commit point was lost, its id must not be given to another snapshot.
      long newestId = Math.max(CommitData.snapshot(latestData).id(), CommittedHead.read(path).orElse(0));
      IndexSchema schema = CommitData.schema(target.getUserData());
      try (IndexWriter writer = IndexWriters.open(path, directory, schema, IndexOptions.DEFAULTS, target)) {
        return IndexWriters.commitRollback(writer, path, schema, target, idOrTag, newestId + 1,
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
