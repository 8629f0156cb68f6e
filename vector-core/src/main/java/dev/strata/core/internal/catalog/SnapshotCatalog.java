package dev.strata.core.internal.catalog;

import dev.strata.core.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * The snapshots an index keeps (its Lucene commits) and their tags: listing, resolving an id or
 * tag to a commit, and moving tags. Thread-safe; it caches parsed commits, which never change.
 */
public final class SnapshotCatalog {
  private final Path path;
  private final Directory directory;
  /** Parsed commits by segments file name: a segments_N file is written once, never changed. */
  private final Map<String, IndexCommit> parsed = new java.util.concurrent.ConcurrentHashMap<>();

  public SnapshotCatalog(Path path, Directory directory) {
    this.path = path;
    this.directory = directory;
  }

  /**
   * A kept snapshot as {@link #list} finds it (the snapshot package shows it as a {@code
   * SnapshotSummary}; this package does not depend on that one).
   */
  public record Listed(SnapshotInfo info, long deletedDocs, List<String> tags, long pinnedBytes, String modelFingerprint,
      dev.strata.core.SnapshotWriter writer) {}

  /** Every kept snapshot, oldest first, with its tags and the bytes only it pins on disk. */
  public List<Listed> list() throws IOException {
    List<IndexCommit> commits = commits();
    Map<String, Integer> uses = new HashMap<>();
    for (IndexCommit commit : commits) {
      for (String file : commit.getFileNames()) {
        uses.merge(file, 1, Integer::sum);
      }
    }
    Map<Long, List<String>> tagsById = new HashMap<>();
    TagCatalog.read(path).forEach((tag, id) -> tagsById.computeIfAbsent(id, k -> new ArrayList<>()).add(tag));
    List<Listed> out = new ArrayList<>();
    for (IndexCommit commit : commits) {
      if (!CommitData.isStrataCommit(commit.getUserData())) {
        continue;
      }
      long pinned = 0;
      long deleted = 0;
      try {
        for (String file : commit.getFileNames()) {
          if (uses.get(file) == 1) {
            pinned += directory.fileLength(file);
          }
        }
        for (SegmentCommitInfo segment : SegmentInfos.readCommit(directory, commit.getSegmentsFileName())) {
          deleted += segment.getDelCount() + segment.getSoftDelCount();
        }
      } catch (IOException e) { // a vanished file, or Lucene's CorruptSegmentInfoException wrapping one
        if (!stillKept(directory, commit)) {
          continue; // retention deleted this commit while it was being listed: it is no longer kept
        }
        throw e; // a kept commit misses a file: damage, for verify to name
      }
      SnapshotInfo info = CommitData.snapshot(commit.getUserData());
      out.add(new Listed(
          info, deleted, tagsById.getOrDefault(info.id(), List.of()), pinned,
          CommitData.schema(commit.getUserData()).modelFingerprint(), CommitData.writer(commit.getUserData())));
    }
    return out;
  }

  /**
   * The kept commits that read, oldest first. Each commit point is read on its own (see {@link
   * CommitPoints}): a damaged one is left out here and named by {@link #damaged}. Parsing is what
   * makes listing slow, and a segments file never changes, so each is parsed once.
   */
  public List<IndexCommit> commits() throws IOException {
    List<String> names = CommitPoints.segmentsFiles(directory);
    parsed.keySet().retainAll(names);
    List<IndexCommit> commits = new ArrayList<>();
    for (String name : names) {
      IndexCommit commit = parsed.get(name);
      if (commit == null && CommitPoints.read(directory, name) instanceof CommitPoints.Intact intact) {
        commit = intact.commit();
        parsed.put(name, commit);
      }
      if (commit != null) { // null: damaged, or deleted by retention since the listing
        commits.add(commit);
      }
    }
    return commits;
  }

  /** The commit points that cannot be read (a damaged segments_N or .si), oldest first. */
  public List<CommitPoints.Damaged> damaged() throws IOException {
    return CommitPoints.damaged(directory);
  }

  /**
   * Whether {@code commit}'s segments file is still in {@code directory}: after a file of a commit
   * went missing, tells a commit that retention deleted meanwhile (gone whole, not an error) from
   * a kept one that lost a file (damage).
   */
  public static boolean stillKept(Directory directory, IndexCommit commit) throws IOException {
    return java.util.Arrays.asList(directory.listAll()).contains(commit.getSegmentsFileName());
  }

  /** The kept commit a snapshot id (all digits) or a tag names. */
  public IndexCommit commitFor(String idOrTag) throws IOException {
    if (idOrTag == null) {
      throw new IllegalArgumentException("a snapshot id or tag is required, got null");
    }
    long id;
    if (!idOrTag.isEmpty() && idOrTag.chars().allMatch(Character::isDigit)) {
      id = Long.parseLong(idOrTag);
    } else {
      Long tagged = TagCatalog.read(path).get(idOrTag);
      if (tagged == null) {
        throw new IllegalArgumentException("index " + path + " has no tag '" + idOrTag + "'");
      }
      id = tagged;
    }
    List<Long> kept = new ArrayList<>();
    for (IndexCommit commit : commits()) {
      if (CommitData.isStrataCommit(commit.getUserData())) {
        long commitId = CommitData.snapshot(commit.getUserData()).id();
        if (commitId == id) {
          return commit;
        }
        kept.add(commitId);
      }
    }
    throw new IllegalArgumentException("index " + path + " keeps no snapshot " + id + "; kept: " + kept);
  }

  /** Points {@code tag} at a kept snapshot, moving it if it pointed elsewhere. */
  public void tag(String idOrTag, String tag) throws IOException {
    TagCatalog.checkTag(tag);
    long id = CommitData.snapshot(commitFor(idOrTag).getUserData()).id();
    TagCatalog.update(path, tags -> tags.put(tag, id));
  }

  public void untag(String tag) {
    TagCatalog.update(path, tags -> {
      if (tags.remove(tag) == null) {
        throw new IllegalArgumentException("index " + path + " has no tag '" + tag + "'; tags: " + tags.keySet());
      }
    });
  }
}
