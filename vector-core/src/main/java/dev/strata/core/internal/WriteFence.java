package dev.strata.core.internal;

import dev.strata.core.StrataException;
import dev.strata.core.WriteFencedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The write fence of a live migration: while it stands, commits to the source index are refused
 * (they would miss the target's final catch-up), and after the alias has moved they stay refused
 * (they would be invisible to the alias's readers). Commits run under a shared lock on
 * {@value #LOCK_FILE}; raising the fence takes it exclusively, so once raised, no commit is half
 * done and every later one sees the fence. Across processes that is a file lock; within one, Java
 * refuses overlapping file locks, so a read-write lock per index orders them first.
 *
 * <p>The fence ({@value #FENCE_FILE}) blocks while the migrating process lives and its deadline has
 * not passed, and for good once the alias names the target. A migration killed before the switch
 * leaves a fence that blocks nothing: the source goes on as if it had never started.
 */
public final class WriteFence {
  public static final String FENCE_FILE = "strata-fence.txt";
  public static final String LOCK_FILE = "strata-fence.lock";
  private static final String WHAT = "write fence";
  private static final Map<Path, ReentrantReadWriteLock> IN_PROCESS = new ConcurrentHashMap<>();

  /** What a fence file says. */
  public record Fence(Path alias, Path target, long pid, Instant deadline) {
    /** Whether a commit now must be refused, and how ({@code migrating} or moved). */
    Optional<WriteFencedException> blocks(Path index) {
      if (aliasNames(alias, target)) {
        return Optional.of(new WriteFencedException(index, alias, target, false, ""));
      }
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (alive && Instant.now().isBefore(deadline)) {
        return Optional.of(new WriteFencedException(index, alias, target, true, "until " + deadline + " at most"));
      }
      return Optional.empty(); // the migration died or gave up before the switch
    }
  }

  private WriteFence() {}

  /** Work done under the fence's shared lock. */
  @FunctionalInterface
  public interface Guarded<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code commit} unless a fence blocks it, in which case it throws {@link
   * WriteFencedException}; no fence can be raised while it runs.
   */
  public static <T> T commitUnlessFenced(Path index, Guarded<T> commit) throws IOException {
    ReentrantReadWriteLock local = IN_PROCESS.computeIfAbsent(key(index), k -> new ReentrantReadWriteLock());
    local.readLock().lock();
    try (FileChannel channel = lockChannel(index); FileLock ignored = channel.lock(0, Long.MAX_VALUE, true)) {
      Optional<Fence> fence = read(index);
      if (fence.isPresent()) {
        Optional<WriteFencedException> refused = fence.get().blocks(index);
        if (refused.isPresent()) {
          throw refused.get();
        }
      }
      return commit.run();
    } finally {
      local.readLock().unlock();
    }
  }

  /**
   * Raises the fence on {@code index} for a migration to {@code target} behind {@code alias}, once
   * no commit is in flight; it blocks until {@code deadline} or until this process exits, and for
   * good once the alias names the target.
   */
  public static void raise(Path index, Path alias, Path target, Instant deadline) {
    raise(index, alias, target, deadline, ProcessHandle.current().pid());
  }

  /**
   * {@link #raise(Path, Path, Path, Instant)} on behalf of process {@code pid} (tests: a process
   * that died).
   */
  public static void raise(Path index, Path alias, Path target, Instant deadline, long pid) {
    Fence fence = new Fence(alias.toAbsolutePath().normalize(), target.toAbsolutePath().normalize(), pid, deadline);
    exclusively(index, () -> {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("alias", fence.alias().toString());
      fields.put("target", fence.target().toString());
      fields.put("pid", Long.toString(fence.pid()));
      fields.put("deadline", fence.deadline().toString());
      StringBuilder body = new StringBuilder();
      fields.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
      ChecksummedFile.write(index.resolve(FENCE_FILE), body.toString(), WHAT);
      return null;
    });
  }

  /** Takes the fence down (a migration that failed before its switch, or an alias pointed back). */
  public static void lift(Path index) {
    if (!Files.exists(index.resolve(FENCE_FILE))) {
      return;
    }
    exclusively(index, () -> {
      Files.deleteIfExists(index.resolve(FENCE_FILE));
      return null;
    });
  }

  /** The fence on {@code index}, if one was raised and not lifted (it may block nothing). */
  public static Optional<Fence> read(Path index) {
    return ChecksummedFile.read(index.resolve(FENCE_FILE), WHAT).map(body -> {
      Map<String, String> fields = ChecksummedFile.fields(body);
      try {
        return new Fence(Path.of(fields.get("alias")), Path.of(fields.get("target")),
            Long.parseLong(fields.get("pid")), Instant.parse(fields.get("deadline")));
      } catch (RuntimeException e) {
        throw new StrataException(WHAT + " " + index.resolve(FENCE_FILE) + " is not a valid fence: " + e, e);
      }
    });
  }

  private static <T> T exclusively(Path index, Guarded<T> work) {
    ReentrantReadWriteLock local = IN_PROCESS.computeIfAbsent(key(index), k -> new ReentrantReadWriteLock());
    local.writeLock().lock();
    try (FileChannel channel = lockChannel(index); FileLock ignored = channel.lock()) {
      return work.run();
    } catch (IOException e) {
      throw new StrataException("cannot fence index " + index + ": " + e, e);
    } finally {
      local.writeLock().unlock();
    }
  }

  private static FileChannel lockChannel(Path index) throws IOException {
    return FileChannel.open(index.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  private static Path key(Path index) {
    Path absolute = index.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath(); // one lock per directory, however a caller spells its path
    } catch (IOException e) {
      return absolute;
    }
  }

  /** Whether the alias file names {@code target} now (its {@code index=} line, relative to its directory). */
  private static boolean aliasNames(Path alias, Path target) {
    Optional<String> body;
    try {
      body = ChecksummedFile.read(alias, "alias");
    } catch (StrataException damaged) {
      return true; // cannot tell where readers are: refusing is the safe side
    }
    String named = body.map(ChecksummedFile::fields).map(fields -> fields.get("index")).orElse(null);
    return named != null && alias.toAbsolutePath().normalize().getParent().resolve(named).normalize().equals(target);
  }
}
