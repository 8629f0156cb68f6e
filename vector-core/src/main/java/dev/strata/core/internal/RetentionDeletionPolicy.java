package dev.strata.core.internal;

import dev.strata.core.RetentionPolicy;
import dev.strata.core.SnapshotInfo;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

/**
 * Lucene keeps exactly the commits (snapshots) that the {@link RetentionPolicy} keeps. Lucene calls
 * it with the commits oldest first when a writer opens and after every commit; deleting a commit
 * here frees its files once no reader holds them.
 */
public final class RetentionDeletionPolicy extends IndexDeletionPolicy {
  private final RetentionPolicy policy;
  private final Supplier<Set<Long>> taggedIds;
  private final Clock clock;
  private volatile boolean paused;

  public RetentionDeletionPolicy(RetentionPolicy policy, Supplier<Set<Long>> taggedIds, Clock clock) {
    this.policy = policy;
    this.taggedIds = taggedIds;
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
    if (paused) {
      return;
    }
    Set<Long> tagged = new HashSet<>(taggedIds.get());
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
