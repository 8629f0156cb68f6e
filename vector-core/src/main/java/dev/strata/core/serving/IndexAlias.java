package dev.strata.core.serving;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexSchema;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.SnapshotCatalog;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.io.ChecksummedFile;
import dev.strata.core.promotion.PromotionGate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A stable name for an index directory and snapshot, kept in one small file that an operator
 * repoints ({@code index-admin alias set}) and a service follows ({@link SearcherHandle#openAlias}).
 * The file is replaced atomically and carries a checksum ({@link ChecksummedFile}): a crash during
 * a repoint leaves the old target or the new one, never neither, and never a half-written one.
 *
 * <p>The alias also records its target's dimension, similarity and model fingerprint, so that
 * repointing it to an incompatible index is refused even if the old target is gone.
 *
 * @param index the target index directory (stored relative to the alias file's directory, so a
 *     tree of aliases and indexes can be moved or copied as a whole)
 * @param snapshotId the pinned snapshot, or null to follow the index's latest commit
 * @param generation how many times the alias was set, starting at 1
 */
public record IndexAlias(
    Path aliasFile,
    Path index,
    Long snapshotId,
    int dimension,
    Similarity similarity,
    String modelFingerprint,
    long generation,
    Instant updatedAt) {

  private static final String WHAT = "alias";
  private static final String LATEST = "latest";
  private static final String HANDOVER = ".next";
  private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();

  public IndexAlias {
    Objects.requireNonNull(aliasFile, "aliasFile");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(similarity, "similarity");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether the alias follows the index's latest commit instead of a pinned snapshot. */
  public boolean followsLatest() {
    return snapshotId == null;
  }

  /** The snapshot as {@link SearcherHandle#swapTo} takes it: its id, or null for the latest. */
  public String snapshotRef() {
    return snapshotId == null ? null : Long.toString(snapshotId);
  }

  /** Whether this and {@code other} point at the same index and snapshot. */
  public boolean sameTarget(IndexAlias other) {
    return other != null
        && index.toAbsolutePath().normalize().equals(other.index.toAbsolutePath().normalize())
        && Objects.equals(snapshotId, other.snapshotId);
  }

  /**
   * Reads the alias in {@code aliasFile}.
   *
   * @throws IndexNotFoundException if there is no such alias
   * @throws StrataException if the file is damaged
   */
  public static IndexAlias read(Path aliasFile) {
    String body = ChecksummedFile.read(aliasFile, WHAT)
        .orElseThrow(() -> new IndexNotFoundException(aliasFile, "no alias file there"));
    Map<String, String> fields = ChecksummedFile.fields(body);
    Path index;
    try {
      index = directoryOf(aliasFile).resolve(required(fields, "index", aliasFile)).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new StrataException("alias " + aliasFile + " is not a valid alias: " + e.getMessage(), e);
    }
    String outside = outsideAllowedRoots(aliasFile, index);
    if (outside != null) {
      throw new StrataException("alias " + aliasFile + " points at " + index + ", " + outside);
    }
    try {
      String snapshot = required(fields, "snapshot", aliasFile);
      return new IndexAlias(
          aliasFile,
          index,
          snapshot.equals(LATEST) ? null : Long.valueOf(snapshot),
          Integer.parseInt(required(fields, "dimension", aliasFile)),
          Similarity.parse(required(fields, "similarity", aliasFile)),
          fields.get("modelFingerprint"),
          Long.parseLong(required(fields, "generation", aliasFile)),
          Instant.parse(required(fields, "updatedAt", aliasFile)));
    } catch (RuntimeException e) {
      if (e instanceof StrataException) {
        throw e;
      }
      throw new StrataException("alias " + aliasFile + " is not a valid alias: " + e.getMessage(), e);
    }
  }

  /** The alias in {@code aliasFile}, or null when there is none yet. */
  public static IndexAlias readIfExists(Path aliasFile) {
    return Files.exists(aliasFile) ? read(aliasFile) : null;
  }

  /**
   * Points {@code aliasFile} at {@code index} (its snapshot {@code snapshot}, an id or tag, or its
   * latest commit when null), creating the alias if it does not exist.
   *
   * @param force repoint even if the new target's dimension, similarity or model differs from the
   *     current target's; without it such a change is refused ({@link SchemaMismatchException} or
   *     {@link EmbeddingDriftException}), since every service following the alias would start
   *     sending queries the new index cannot answer; and even if the new target fails the golden
   *     query set stored with the current target's index (or its own), which otherwise blocks the
   *     change ({@link dev.strata.core.promotion.PromotionBlockedException}, see {@link PromotionGate})
   * @throws IndexNotFoundException if {@code index} holds no Strata index
   * @throws IllegalArgumentException if the index keeps no such snapshot
   */
  public static IndexAlias set(Path aliasFile, Path index, String snapshot, boolean force) {
    return underLock(aliasFile, null, () -> setLocked(aliasFile, index, snapshot, force));
  }

  /**
   * {@link #set} only if the alias is still {@code expected} (the same index at the same
   * generation): a compare-and-set, so that a move decided on what the alias was cannot undo a move
   * made since by another operator or migration.
   *
   * @param lockWait the longest to wait for another process's change of the alias to finish
   * @throws AliasChangedException if the alias changed (or went) since {@code expected} was read,
   *     or its lock was not free within {@code lockWait}; it was not moved
   */
  public static IndexAlias compareAndSet(Path aliasFile, IndexAlias expected, Path index, String snapshot, boolean force,
      java.time.Duration lockWait) {
    Objects.requireNonNull(expected, "expected");
    return underLock(aliasFile, lockWait, () -> {
      IndexAlias current = readIfExists(aliasFile);
      boolean namesExpected = current != null && sameDirectory(current.index, expected.index);
      if (!dev.strata.core.internal.fence.FenceRules.aliasUnchanged(expected.generation, namesExpected,
          current == null ? -1 : current.generation)) {
        throw new AliasChangedException(aliasFile, expected.index, expected.generation,
            current == null ? null : current.index, current == null ? -1 : current.generation);
      }
      return setLocked(aliasFile, index, snapshot, force);
    });
  }

  /**
   * Runs {@code change} holding the alias's lock: the file lock excludes other processes (two
   * operators repointing at once must not both read generation N and both write N + 1); within this
   * one, Java refuses overlapping file locks, so an in-process lock orders threads first.
   *
   * @param wait null to wait as long as it takes
   */
  private static IndexAlias underLock(Path aliasFile, java.time.Duration wait, java.util.function.Supplier<IndexAlias> change) {
    if (Files.isDirectory(aliasFile)) {
      throw new IllegalArgumentException("alias file " + aliasFile + " is a directory");
    }
    Path lockFile = aliasFile.resolveSibling(aliasFile.getFileName() + ".lock");
    long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
    try {
      if (wait == null) {
        IN_PROCESS.lock();
      } else if (!IN_PROCESS.tryLock(Math.max(0, wait.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
        throw AliasChangedException.busy(aliasFile, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StrataException("interrupted while waiting for the lock of alias " + aliasFile, e);
    }
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = wait == null ? lockChannel.lock() : tryLockUntil(lockChannel, deadline, aliasFile, wait)) {
      return change.get();
    } catch (IOException e) {
      throw new StrataException("cannot lock alias " + aliasFile + " (" + lockFile + "): " + e, e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private static FileLock tryLockUntil(FileChannel channel, long deadline, Path aliasFile, java.time.Duration wait)
      throws IOException {
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() >= deadline) {
        throw AliasChangedException.busy(aliasFile, wait);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StrataException("interrupted while waiting for the lock of alias " + aliasFile, e);
      }
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  /** The system property listing directories, besides the alias file's own, that aliases may point into. */
  public static final String ROOTS_PROPERTY = "strata.alias.roots";

  /**
   * Null if {@code index} lies inside the alias file's directory or one of the roots in {@value
   * #ROOTS_PROPERTY} (separated by the platform's path separator), symbolic links resolved; else
   * why not. An alias is a file anyone who can write there can replace: it must not be able to
   * send a service to read an index the operator never meant to serve.
   */
  static String outsideAllowedRoots(Path aliasFile, Path index) {
    List<Path> roots = new ArrayList<>();
    roots.add(directoryOf(aliasFile));
    String configured = System.getProperty(ROOTS_PROPERTY, "");
    for (String root : configured.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
      if (!root.isBlank()) {
        roots.add(Path.of(root.strip()).toAbsolutePath().normalize());
      }
    }
    Path target = realOrNormal(index);
    for (Path root : roots) {
      if (target.startsWith(realOrNormal(root))) {
        return null;
      }
    }
    return "outside the directories aliases may point into " + roots + " (add the index's parent to -D"
        + ROOTS_PROPERTY + " to allow it)";
  }

  private static Path realOrNormal(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute; // not there (yet): compare the path as written
    }
  }

  private static IndexAlias setLocked(Path aliasFile, Path index, String snapshot, boolean force) {
    String outside = outsideAllowedRoots(aliasFile, index.toAbsolutePath().normalize());
    if (outside != null) {
      throw new IllegalArgumentException("alias " + aliasFile + " cannot point at " + index + ": it is " + outside);
    }
    IndexAlias current = readIfExists(aliasFile);
    IndexAlias next = describe(aliasFile, index, snapshot, current == null ? 1 : current.generation + 1);
    if (!force) {
      if (current != null) {
        current.checkCompatible(next);
        requireRecords(next.index, snapshot, aliasFile);
      }
      PromotionGate.check(current == null ? null : current.index, next.index, snapshot, "repointing alias " + aliasFile);
    }
    // Pin first, then point, then unpin the old target: a crash between the steps leaves one pin
    // too many (a snapshot kept a little longer), never an alias on a snapshot retention may take.
    // The new pin goes under a handover tag first: within one index the pin's own tag still holds
    // the snapshot the alias names until the alias has moved (FileStepCrashPointTest).
    String pin = pinTag(aliasFile);
    String handover = pin + HANDOVER;
    if (next.snapshotId != null) {
      TagCatalog.update(next.index, tags -> tags.put(handover, next.snapshotId));
    }
    Path parent = directoryOf(aliasFile);
    StringBuilder body = new StringBuilder();
    body.append("index=").append(parent.relativize(next.index.toAbsolutePath().normalize())).append('\n');
    body.append("snapshot=").append(next.snapshotId == null ? LATEST : next.snapshotId.toString()).append('\n');
    body.append("dimension=").append(next.dimension).append('\n');
    body.append("similarity=").append(next.similarity.externalName()).append('\n');
    if (next.modelFingerprint != null) {
      body.append("modelFingerprint=").append(next.modelFingerprint).append('\n');
    }
    body.append("generation=").append(next.generation).append('\n');
    body.append("updatedAt=").append(next.updatedAt).append('\n');
    ChecksummedFile.write(aliasFile, body.toString(), WHAT);
    if (next.snapshotId != null) {
      TagCatalog.update(next.index, tags -> {
        tags.put(pin, next.snapshotId);
        tags.remove(handover);
      });
    }
    if (current != null && current.snapshotId != null && !current.sameTarget(next) && Files.isDirectory(current.index)
        && !(next.snapshotId != null && current.index.toAbsolutePath().normalize().equals(next.index))) {
      TagCatalog.update(current.index, tags -> {
        tags.remove(pinTag(aliasFile));
        tags.remove(pinTag(aliasFile) + HANDOVER); // left by a move a crash cut short
      });
    }
    return next;
  }

  /**
   * The tag by which an alias pinned to a snapshot keeps it from retention: visible in {@code
   * snapshot list}, derived from the alias file's name and path, so two aliases never share one.
   */
  public static String pinTag(Path aliasFile) {
    Path absolute = aliasFile.toAbsolutePath().normalize();
    String name = absolute.getFileName().toString().replaceAll("[^A-Za-z0-9_.\\-]", "_");
    String hash = String.format("%08x", absolute.toString().hashCode());
    return "alias." + (name.length() > 40 ? name.substring(0, 40) : name) + "." + hash;
  }

  /** A repoint to a snapshot with no records would leave every query of the alias's readers unanswered. */
  private static void requireRecords(Path index, String snapshot, Path aliasFile) {
    try (Directory directory = FSDirectory.open(index)) {
      Map<String, String> data = snapshot == null
          ? SegmentInfos.readLatestCommit(directory).getUserData()
          : new SnapshotCatalog(index, directory).commitFor(snapshot).getUserData();
      if (CommitData.snapshot(data).liveCount() == 0) {
        throw new IllegalArgumentException("alias " + aliasFile + " cannot move to " + index
            + (snapshot == null ? "" : " snapshot " + snapshot) + ": it holds no records, so every query of the"
            + " alias's readers would come back empty (pass --force if that is meant)");
      }
    } catch (IOException e) {
      throw new StrataException("cannot read index " + index + ": " + e, e);
    }
  }

  /**
   * Refuses {@code next} if queries made for this target could not be served by it: another
   * dimension or similarity, or another model.
   */
  void checkCompatible(IndexAlias next) {
    List<String> differences = IndexSchema.shapeDifferences(dimension, similarity, next.dimension, next.similarity);
    if (!differences.isEmpty()) {
      throw new SchemaMismatchException(next.index, differences);
    }
    if (!Objects.equals(modelFingerprint, next.modelFingerprint)) {
      throw new EmbeddingDriftException(next.index, next.modelFingerprint, modelFingerprint,
          "repointing alias " + aliasFile + " (pass --force once every reader has the new model)");
    }
  }

  /** What an alias pointing at {@code index}'s {@code snapshot} would record. */
  private static IndexAlias describe(Path aliasFile, Path index, String snapshot, long generation) {
    if (!Files.isDirectory(index)) {
      throw new IndexNotFoundException(index, "no such directory");
    }
    try (Directory directory = FSDirectory.open(index)) {
      if (!DirectoryReader.indexExists(directory)) {
        throw new IndexNotFoundException(index, "the directory holds no committed index");
      }
      Map<String, String> data;
      Long snapshotId = null;
      if (snapshot == null) {
        data = SegmentInfos.readLatestCommit(directory).getUserData();
      } else {
        IndexCommit commit = new SnapshotCatalog(index, directory).commitFor(snapshot);
        data = commit.getUserData();
        snapshotId = CommitData.snapshot(data).id();
      }
      if (!CommitData.isStrataCommit(data)) {
        throw new IndexNotFoundException(index, "a Lucene index, but not a Strata one");
      }
      IndexSchema schema = CommitData.schema(data);
      return new IndexAlias(
          aliasFile, index.toAbsolutePath().normalize(), snapshotId, schema.dimension(), schema.similarity(),
          schema.modelFingerprint(), generation, Instant.now());
    } catch (IOException e) {
      throw new StrataException("cannot read index " + index + " for alias " + aliasFile + ": " + e, e);
    }
  }

  private static Path directoryOf(Path aliasFile) {
    return aliasFile.toAbsolutePath().normalize().getParent();
  }

  private static String required(Map<String, String> fields, String name, Path aliasFile) {
    String value = fields.get(name);
    if (value == null) {
      throw new StrataException("alias " + aliasFile + " has no '" + name + "' line: it is damaged");
    }
    return value;
  }
}
