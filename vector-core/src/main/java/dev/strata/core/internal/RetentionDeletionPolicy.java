package dev.strata.core.internal;

import dev.strata.core.RetentionPolicy;
import java.io.IOException;
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

  public RetentionDeletionPolicy(RetentionPolicy policy, Supplier<Set<Long>> taggedIds) {
    this.policy = policy;
    this.taggedIds = taggedIds;
  }

  @Override
  public void onInit(List<? extends IndexCommit> commits) throws IOException {
    onCommit(commits);
  }

  @Override
  public void onCommit(List<? extends IndexCommit> commits) throws IOException {
    Set<Long> tagged = new HashSet<>(taggedIds.get());
    Instant youngest = policy.keepYoungerThan() == null ? null : Instant.now().minus(policy.keepYoungerThan());
    int newestFirst = 0;
    for (int i = commits.size() - 1; i >= 0; i--, newestFirst++) {
      IndexCommit commit = commits.get(i);
      var data = commit.getUserData();
      if (newestFirst < policy.keepLast() || !CommitData.isStrataCommit(data)) {
        continue; // the newest N, and anything not ours, stay
      }
      var snapshot = CommitData.snapshot(data);
      boolean young = youngest != null && snapshot.createdAt().isAfter(youngest);
      if (!young && !tagged.contains(snapshot.id())) {
        commit.delete();
      }
    }
  }
}
