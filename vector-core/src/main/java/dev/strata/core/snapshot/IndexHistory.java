package dev.strata.core.snapshot;

import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.internal.search.RecordJoin;
import dev.strata.core.internal.search.SnapshotSearcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;

/**
 * The kept snapshots of one open index ({@code VectorIndex.history()}): list them, open one as it
 * was, tag, roll back, verify and export. Every snapshot is a Lucene commit that retention keeps;
 * ids and tags name them. Thread-safe; valid while its index is open.
 */
public final class IndexHistory {
  private final SnapshotStore store;

  /** For the index facade; applications get theirs from {@code VectorIndex.history()}. */
  public IndexHistory(SnapshotStore store) {
    this.store = store;
  }

  /** Every kept snapshot, oldest first, with its tags and the bytes only it pins on disk. */
  public List<SnapshotSummary> list() {
    try {
      return store.list();
    } catch (IOException e) {
      throw Failures.of("cannot list snapshots of index " + store.path(), e);
    }
  }

  /**
   * The commit points {@link #list} cannot show because they cannot be read (a damaged {@code
   * segments_N}), each as "FILE: problem"; empty when every one reads. {@code verify} names them too.
   */
  public List<String> unreadableCommitPoints() {
    try {
      return store.unreadableCommitPoints();
    } catch (IOException e) {
      throw Failures.of("cannot read the commit points of index " + store.path(), e);
    }
  }

  /** Opens a kept snapshot, by id or tag, for reading as it was (time travel). Close the view. */
  public SnapshotView open(String idOrTag) {
    IndexCommit commit = store.commitFor(idOrTag);
    try {
      store.checkBeforeServing(commit);
      return new SnapshotView(store.open(commit), null);
    } catch (IOException e) {
      throw Failures.of("cannot open snapshot " + idOrTag + " of index " + store.path(), e);
    }
  }

  /**
   * What changed from snapshot {@code fromIdOrTag} to {@code toIdOrTag}, record by record, from
   * the record hashes each snapshot keeps, both snapshots walked side by side in id order (no vector
   * or text is read; a million records in about a second, 16 bytes of heap per record).
   *
   * @throws IllegalStateException if a segment predates per-record hashes ('index-admin upgrade')
   */
  public SnapshotDiff diff(String fromIdOrTag, String toIdOrTag) {
    IndexCommit from = store.commitFor(fromIdOrTag);
    IndexCommit to = store.commitFor(toIdOrTag);
    try {
      store.checkBeforeServing(from);
      store.checkBeforeServing(to);
    } catch (IOException e) {
      throw Failures.of("cannot diff snapshots " + fromIdOrTag + " and " + toIdOrTag + " of index " + store.path(), e);
    } catch (java.io.UncheckedIOException e) {
      throw Failures.of("cannot diff snapshots " + fromIdOrTag + " and " + toIdOrTag + " of index " + store.path(), e.getCause());
    }
    try (DirectoryReader before = DirectoryReader.open(from); DirectoryReader after = DirectoryReader.open(to)) {
      return SnapshotDiff.of(CommitData.snapshot(from.getUserData()), CommitData.snapshot(to.getUserData()),
          RecordJoin.between(before, after), ids -> sourcesOf(before, ids), ids -> sourcesOf(after, ids));
    } catch (IOException e) {
      throw Failures.of("cannot diff snapshots " + fromIdOrTag + " and " + toIdOrTag + " of index " + store.path(), e);
    }
  }

  private static java.util.Map<String, String> sourcesOf(DirectoryReader reader, java.util.List<String> ids) {
    try {
      return SnapshotSearcher.sourcesOf(reader, ids);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Undoes what snapshot {@code idOrTag} changed, keeping every later write to other records: the
   * records it added are deleted, those it changed or deleted are restored as they were in its
   * parent snapshot, all in one new snapshot (a revert interrupted before its commit leaves none).
   * Records a later snapshot wrote again are conflicts: listed, and left as they are unless {@code
   * force}, which restores them too. With {@code apply} false nothing is written: the plan only.
   *
   * @throws IllegalStateException if writes are buffered (commit them first), or the snapshot's
   *     parent is no longer kept (retention dropped it: tag snapshots you may want to revert)
   */
  public SnapshotRevert revert(String idOrTag, boolean force, boolean apply) {
    SnapshotRevert.Plan plan = plan(idOrTag, force);
    SnapshotRevert revert = plan.revert();
    if (!apply || (revert.toDelete().isEmpty() && plan.restored().isEmpty())) {
      return revert;
    }
    if (store.hasBufferedWrites()) {
      throw new IllegalStateException("index " + store.path() + " has buffered writes; commit them before reverting a snapshot");
    }
    SnapshotInfo committed = apply(plan);
    return new SnapshotRevert(revert.reverted(), revert.before(), revert.toDelete(), revert.toRestore(), revert.conflicts(),
        committed);
  }

  /** A revert's plan: what the snapshot did (a diff against its parent), less what was written since. */
  private SnapshotRevert.Plan plan(String idOrTag, boolean force) {
    SnapshotInfo reverted;
    try (SnapshotView view = open(idOrTag)) {
      reverted = view.snapshot();
    }
    String parent = Long.toString(reverted.parentId());
    if (reverted.parentId() <= 0 || list().stream().noneMatch(s -> s.info().id() == reverted.parentId())) {
      throw new IllegalStateException("snapshot " + reverted.id() + " of index " + store.path() + " cannot be reverted: its"
          + " parent snapshot " + reverted.parentId() + " is no longer kept (retention dropped it; tag snapshots you may"
          + " want to revert, or roll back instead)");
    }
    SnapshotDiff change = diff(parent, Long.toString(reverted.id()));
    String latest = Long.toString(store.latestSnapshotId());
    SnapshotDiff since = diff(Long.toString(reverted.id()), latest);
    Set<String> touchedSince = new HashSet<>(since.added());
    touchedSince.addAll(since.removed());
    touchedSince.addAll(since.changed());

    List<String> conflicts = new ArrayList<>();
    List<String> toDelete = new ArrayList<>();
    for (String id : change.added()) {
      (touchedSince.contains(id) ? conflicts : toDelete).add(id);
    }
    List<String> toRestore = new ArrayList<>();
    for (List<String> ids : List.of(change.removed(), change.changed())) {
      for (String id : ids) {
        (touchedSince.contains(id) ? conflicts : toRestore).add(id);
      }
    }
    if (force) {
      for (String id : conflicts) {
        (change.added().contains(id) ? toDelete : toRestore).add(id);
      }
    }
    toDelete.sort(null);
    toRestore.sort(null);
    conflicts.sort(null);
    List<Record> restored = new ArrayList<>(toRestore.size());
    try (SnapshotView before = open(parent)) {
      for (String id : toRestore) {
        restored.add(before.get(id).orElseThrow(() -> new IllegalStateException("record " + id + " vanished from snapshot "
            + parent + " while a revert read it")));
      }
      return new SnapshotRevert.Plan(new SnapshotRevert(reverted, before.snapshot(), toDelete, toRestore, conflicts, null),
          restored);
    }
  }

  /** Buffers a revert's deletes and restores and commits them as one snapshot. */
  private SnapshotInfo apply(SnapshotRevert.Plan plan) {
    SnapshotRevert revert = plan.revert();
    return store.commitRevert(revert.toDelete(), plan.restored(), "revert of snapshot " + revert.reverted().id()
        + " (back to " + revert.before().id() + "): "
        + revert.toDelete().size() + " deleted, " + revert.toRestore().size() + " restored, " + revert.conflicts().size()
        + " conflicts" + (revert.conflicts().isEmpty() ? "" : " left"));
  }

  /**
   * A new, writable index at {@code target} (new or empty) holding snapshot {@code idOrTag}, in time
   * independent of its records: its files are hard-linked where the filesystem allows (Lucene never
   * rewrites a file, so this index and the branch share them safely), copied where not; {@link
   * SnapshotBranch#allLinked()} says which. Try a re-chunking or another model on the branch beside
   * the serving index, then move the alias to it.
   */
  public SnapshotBranch branch(String idOrTag, Path target) {
    IndexCommit commit = store.commitFor(idOrTag);
    try {
      return SnapshotBranch.create(store.path(), commit, target);
    } catch (IOException e) {
      throw Failures.of("cannot branch snapshot " + idOrTag + " of index " + store.path() + " into " + target, e);
    }
  }

  /**
   * Makes a kept snapshot the current state, in time independent of the index's size: the writer
   * reopens on that commit (no data is copied) and a new snapshot records the rollback, its parent
   * the snapshot that was current. Snapshots after the target stay kept (until retention drops
   * them), so a rollback can itself be rolled back.
   *
   * @throws IllegalStateException if writes are buffered: commit them first, a rollback never
   *     discards accepted records silently
   */
  public SnapshotInfo rollbackTo(String idOrTag) {
    return store.rollbackTo(idOrTag);
  }

  /**
   * Points {@code tag} at a kept snapshot (moving it if it pointed elsewhere); tagged snapshots are
   * always kept.
   */
  public void tag(String idOrTag, String tag) {
    try {
      store.tag(idOrTag, tag);
    } catch (IOException e) {
      throw Failures.of("cannot read snapshot " + idOrTag + " of index " + store.path(), e);
    }
  }

  /** Removes {@code tag}; the snapshot it named is then kept only if retention keeps it. */
  public void untag(String tag) {
    store.untag(tag);
  }

  /**
   * Checks a kept snapshot (by id or tag): file checksums, the manifest's live count, and its
   * record digest against one recomputed from the stored records.
   */
  public VerificationReport verify(String idOrTag) {
    IndexCommit commit = store.commitFor(idOrTag);
    try {
      SnapshotInfo manifest = CommitData.snapshot(commit.getUserData());
      return new VerificationReport(manifest.id(), SnapshotVerifier.verify(commit, manifest));
    } catch (IOException e) {
      throw Failures.of("cannot read snapshot " + idOrTag + " of index " + store.path(), e);
    }
  }

  /** {@link #verify} for every kept snapshot, oldest first. */
  public List<VerificationReport> verifyAll() {
    return list().stream().map(s -> verify(Long.toString(s.info().id()))).toList();
  }

  /**
   * Writes a kept snapshot to one zstd-compressed archive with a SHA-256 for every file. With
   * {@code sinceIdOrTag}, only the files that snapshot does not already have go in (segments never
   * change), for replicas that hold it. Tags naming the snapshot travel with it. {@link
   * SnapshotArchives#importArchive} restores one.
   */
  public ArchiveReport export(String idOrTag, String sinceIdOrTag, Path out) {
    Path parent = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("cannot write archive " + out + ": it is a directory; name a file");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException("cannot write archive " + out + ": no such directory " + parent);
    }
    IndexCommit target = store.commitFor(idOrTag);
    IndexCommit base = sinceIdOrTag == null ? null : store.commitFor(sinceIdOrTag);
    try {
      long targetId = CommitData.snapshot(target.getUserData()).id();
      List<String> tags = TagCatalog.read(store.path()).entrySet().stream()
          .filter(e -> e.getValue() == targetId).map(Map.Entry::getKey).sorted().toList();
      SnapshotArchive.ExportResult r = SnapshotArchive.export(store.directory(), target, base, tags, out);
      return new ArchiveReport(r.snapshotId(), r.baseSnapshotId(), r.files(), r.bytes(), r.archiveBytes());
    } catch (IOException e) {
      throw Failures.of(
          "cannot export snapshot " + idOrTag + " of index " + store.path() + " to " + out, e);
    }
  }
}
