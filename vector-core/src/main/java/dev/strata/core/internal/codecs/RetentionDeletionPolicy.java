package dev.strata.core.internal.codecs;

import dev.strata.core.RetentionPolicy;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.CommittedHead;
import dev.strata.core.internal.catalog.TagCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

/**
 * Lucene keeps exactly the commits (snapshots) that the {@link RetentionPolicy} keeps. Lucene calls
 * it with the commits oldest first when a writer opens and after every commit; deleting a commit
 * here frees its files once no reader holds them.
 */
public final class RetentionDeletionPolicy extends IndexDeletionPolicy {
  private static final System.Logger LOG = System.getLogger(RetentionDeletionPolicy.class.getName());

  private final Path indexDir;
  private final RetentionPolicy policy;
  private final Clock clock;
  private volatile boolean paused;

  /** Retention for the index in {@code indexDir}, whose tag catalog names the snapshots always kept. */
  public RetentionDeletionPolicy(Path indexDir, RetentionPolicy policy, Clock clock) {
    this.indexDir = indexDir;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public void onInit(List<? extends IndexCommit> commits) throws IOException {
    onCommit(commits);
  }

  /** While paused, commits delete no snapshot (a compaction told not to prune). */
  public void setPaused(boolean paused) {
    this.paused = paused;
  }

  @Override
  public void onCommit(List<? extends IndexCommit> commits) throws IOException {
    recordHead(commits);
    if (paused) {
      return;
    }
    if (tagsLost(commits)) {
      LOG.log(System.Logger.Level.ERROR, "index " + indexDir + ": tag catalog " + TagCatalog.FILE + " is missing though"
          + " a kept snapshot recorded tags; no snapshot is deleted until it is restored");
      return;
    }
    Set<Long> tagged = new HashSet<>(TagCatalog.read(indexDir).values());
    Instant now = clock.instant();
    int newestFirst = 0;
    for (int i = commits.size() - 1; i >= 0; i--, newestFirst++) {
      IndexCommit commit = commits.get(i);
      var data = commit.getUserData();
      if (!CommitData.isStrataCommit(data)) {
        continue; // not ours: it stays
      }
      var snapshot = CommitData.snapshot(data);
      if (!keeps(policy, newestFirst, snapshot, tagged.contains(snapshot.id()), now)) {
        commit.delete();
      }
    }
  }

  /** Lucene made the newest commit durable before calling: the head record may follow it. */
  private void recordHead(List<? extends IndexCommit> commits) throws IOException {
    if (commits.isEmpty()) {
      return; // a writer creating the index, before its first commit
    }
    IndexCommit newest = commits.getLast();
    if (CommitData.isStrataCommit(newest.getUserData())) {
      CommittedHead.advance(indexDir, CommitData.snapshot(newest.getUserData()).id());
    }
  }

  /** Whether a kept snapshot recorded tags that the missing catalog no longer holds. */
  private boolean tagsLost(List<? extends IndexCommit> commits) throws IOException {
    if (TagCatalog.exists(indexDir)) {
      return false;
    }
    for (IndexCommit commit : commits) {
      if (CommitData.recordedTagCount(commit.getUserData()) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code policy} keeps a snapshot that is the {@code newestFirst}-th newest (0 for the
   * latest) at {@code now}.
   */
  public static boolean keeps(RetentionPolicy policy, int newestFirst, SnapshotInfo snapshot, boolean tagged, Instant now) {
    if (newestFirst < policy.keepLast() || tagged) {
      return true;
    }
    return policy.keepYoungerThan() != null && snapshot.createdAt().isAfter(now.minus(policy.keepYoungerThan()));
  }
}
