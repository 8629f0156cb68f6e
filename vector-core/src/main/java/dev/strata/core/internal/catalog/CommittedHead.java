package dev.strata.core.internal.catalog;

import dev.strata.core.StrataException;
import dev.strata.core.internal.io.ChecksummedFile;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The newest snapshot id an index ever committed, kept in a small file beside the commit points.
 * Lucene opens the highest {@code segments_N} it finds, so a deleted or lost latest commit point
 * would silently roll the index back to the one before; with this record the index knows it went
 * backwards and says so instead of answering from the older snapshot.
 *
 * <p>The writer's deletion policy advances it after every commit, which Lucene has already made
 * durable. It is written without fsync: after a power loss it may lag behind (harmless: the check
 * only fires when the record is ahead) or be torn (read as absent, with a warning, and rewritten).
 */
public final class CommittedHead {
  public static final String FILE = "strata-head.txt";
  /**
   * A second copy, written after the first: the newer of the two counts, so that losing the
   * newest {@code segments_N} goes unnoticed only if both copies are lost or edited back with it.
   */
  public static final String MIRROR = "strata-head.mirror.txt";
  private static final System.Logger LOG = System.getLogger(CommittedHead.class.getName());

  private CommittedHead() {}

  /** The newest snapshot id recorded in {@code indexDir}; empty when none is (older indexes, a torn file). */
  public static OptionalLong read(Path indexDir) {
    OptionalLong first = readOne(indexDir, FILE);
    OptionalLong second = readOne(indexDir, MIRROR);
    if (first.isEmpty()) {
      return second;
    }
    return second.isPresent() && second.getAsLong() > first.getAsLong() ? second : first;
  }

  private static OptionalLong readOne(Path indexDir, String file) {
    try {
      return ChecksummedFile.read(indexDir.resolve(file), "head record")
          .map(body -> OptionalLong.of(Long.parseLong(body.strip().substring("snapshot=".length()))))
          .orElse(OptionalLong.empty());
    } catch (StrataException | IllegalArgumentException | IndexOutOfBoundsException e) { // torn or edited
      LOG.log(System.Logger.Level.WARNING, "index " + indexDir + ": " + e.getMessage()
          + "; the next commit rewrites it (until then only its other copy notices a lost latest commit point)");
      return OptionalLong.empty();
    }
  }

  /**
   * The latest commit's data in {@code directory}, refused when it is not a Strata commit ({@link
   * dev.strata.core.IndexNotFoundException}) or older than the head record ({@link
   * dev.strata.core.IndexDamagedException}); logs an error when its tag catalog is missing.
   */
  public static java.util.Map<String, String> readLatestCommit(Path indexDir, org.apache.lucene.store.Directory directory)
      throws java.io.IOException {
    OptionalLong recorded = read(indexDir); // before the commit point: a commit made in between is not "behind"
    java.util.Map<String, String> data = org.apache.lucene.index.SegmentInfos.readLatestCommit(directory).getUserData();
    if (!CommitData.isStrataCommit(data)) {
      throw new dev.strata.core.IndexNotFoundException(
          indexDir, "a Lucene index, but not a Strata one (its commit has no Strata schema)");
    }
    wentBackwards(recorded, CommitData.snapshot(data).id()).ifPresent(problem -> {
      throw new dev.strata.core.IndexDamagedException(indexDir, problem);
    });
    TagCatalog.warnIfMissing(indexDir, data);
    return data;
  }

  /** Records {@code snapshotId} as the newest committed, unless a newer one is recorded already. */
  public static void advance(Path indexDir, long snapshotId) {
    OptionalLong recorded = read(indexDir);
    if (recorded.isEmpty() || recorded.getAsLong() < snapshotId) {
      ChecksummedFile.write(indexDir.resolve(FILE), "snapshot=" + snapshotId + "\n", "head record", false);
      ChecksummedFile.write(indexDir.resolve(MIRROR), "snapshot=" + snapshotId + "\n", "head record", false);
    }
  }

  /**
   * Why the index went backwards, when the newest commit point on disk holds an older snapshot than
   * the newest one committed; empty when it did not.
   *
   * @param recorded what {@link #read} gave <em>before</em> the newest commit point was read: read
   *     after it, a commit made in between would look like a lost one
   */
  public static java.util.Optional<String> wentBackwards(OptionalLong recorded, long latestOnDisk) {
    if (recorded.isEmpty() || recorded.getAsLong() <= latestOnDisk) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("snapshot " + recorded.getAsLong() + " was committed last, but the newest commit point"
        + " on disk holds snapshot " + latestOnDisk + ": a newer segments_N file was deleted or lost, and the index would"
        + " answer from an older state");
  }
}
