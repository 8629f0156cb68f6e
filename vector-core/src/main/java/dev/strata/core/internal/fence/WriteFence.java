package dev.strata.core.internal.fence;

import dev.strata.core.FenceLostException;
import dev.strata.core.StrataException;
import dev.strata.core.WriteFencedException;
import dev.strata.core.internal.fence.FenceRules.AliasView;
import dev.strata.core.internal.fence.FenceRules.State;
import dev.strata.core.internal.io.ChecksummedFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The write fence of a live migration, the protocol of {@code docs/design/live-migration.md}:
 * while a migration's final catch-up runs, commits to the source index are refused (they would
 * miss it), and once the alias has moved they stay refused (they would be invisible to the alias's
 * readers). Commits run under a shared lock on {@value #LOCK_FILE}; every change of the fence
 * ({@value #FENCE_FILE}) takes it exclusively, so a commit and a fence change never overlap.
 *
 * <p>Whether the migration lives is an OS lock on {@value #HOLDER_FILE} that it holds from the
 * raise to its end: the kernel releases it when the process dies, in whatever PID namespace. The
 * fence names the alias and the target relative to the index, so a moved tree keeps its meaning.
 * A writer may break an abandoned fence (holder gone, or lease lapsed on its clock) only while the
 * alias still names its index, and only under the exclusive lock, where the migration's switch
 * checks that its fence still stands: clocks decide when a writer may break, never whether a
 * switch may happen.
 *
 * <p>Within one process Java refuses overlapping file locks, and closing any channel on a file
 * drops every lock the process holds on it; so one in-process lock per index orders every use of
 * these files here, and the holder lock of this process's migrations is looked up, not probed.
 */
public final class WriteFence {
  public static final String FENCE_FILE = "strata-fence.txt";
  public static final String LOCK_FILE = "strata-fence.lock";
  public static final String HOLDER_FILE = FenceHolder.FILE;
  /** How long past its lease a writer waits before it may break a fence whose holder still lives (clock skew). */
  static final Duration GRACE = Duration.ofSeconds(2);
  private static final String WHAT = "write fence";
  private static final int FORMAT = 2;
  private static final int COMMIT_ATTEMPTS = 3;
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  /**
   * What a fence file says.
   *
   * @param alias the alias file, relative to the fenced index
   * @param target the migration's target, relative to the fenced index
   * @param aliasGeneration the alias's generation when the fence went up (-1: a fence of Strata 0.1's format)
   * @param note why it was lifted, when it was
   */
  public record Fence(long epoch, State state, String alias, String target, long aliasGeneration, Duration lease,
      Instant raisedAt, String note) {

    public Path aliasFrom(Path index) {
      return absolute(index).resolve(alias).normalize();
    }

    public Path targetFrom(Path index) {
      return absolute(index).resolve(target).normalize();
    }

    boolean leaseLapsed(Clock clock) {
      return clock.instant().isAfter(raisedAt.plus(lease).plus(GRACE));
    }

    Fence with(State next, String why) {
      return new Fence(epoch, next, alias, target, aliasGeneration, lease, raisedAt, why);
    }
  }

  private WriteFence() {}

  /** Work done under the fence's lock. */
  @FunctionalInterface
  public interface Guarded<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code commit} unless a fence blocks it ({@link WriteFencedException}); no fence changes
   * while it runs. An abandoned fence is broken first when the alias still names {@code index}.
   *
   * @param clock the writer's clock, which decides only whether a live holder's lease has lapsed
   */
  public static <T> T commitUnlessFenced(Path index, Clock clock, Guarded<T> commit) throws IOException {
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      Fence abandoned;
      ReentrantLock local = localLock(index);
      local.lock();
      try (FileChannel channel = lockChannel(index); FileLock ignored = channel.lock(0, Long.MAX_VALUE, true)) {
        Optional<Fence> fence = read(index);
        FenceRules.Commit verdict = fence.isEmpty() ? FenceRules.Commit.PROCEED : decide(index, fence.get(), clock);
        switch (verdict) {
          case PROCEED -> {
            return commit.run();
          }
          case REFUSE_MIGRATING -> throw refusal(index, fence.get(), true);
          case REFUSE_MOVED -> throw refusal(index, fence.get(), false);
          case BREAK_THEN_PROCEED -> abandoned = fence.get();
          default -> throw new AssertionError(verdict);
        }
      } finally {
        local.unlock();
      }
      breakAbandoned(index, abandoned, clock);
    }
    throw new StrataException("the write fence of index " + index + " changed " + COMMIT_ATTEMPTS
        + " times while a commit waited on it; nothing was committed, the writes stay buffered (retry)");
  }

  /** {@link #commitUnlessFenced(Path, Clock, Guarded)} on the system clock. */
  public static <T> T commitUnlessFenced(Path index, Guarded<T> commit) throws IOException {
    return commitUnlessFenced(index, Clock.systemUTC(), commit);
  }

  private static FenceRules.Commit decide(Path index, Fence fence, Clock clock) {
    return FenceRules.commit(fence.state(), FenceHolder.alive(index), fence.leaseLapsed(clock),
        () -> aliasView(index, fence).kind());
  }

  /** Sets an abandoned fence lifted, if it is still the one the writer saw and still abandoned. */
  private static void breakAbandoned(Path index, Fence seen, Clock clock) {
    exclusively(index, () -> {
      Optional<Fence> now = read(index);
      if (now.isPresent() && now.get().epoch() == seen.epoch() && now.get().state() == State.MIGRATING
          && decide(index, now.get(), clock) == FenceRules.Commit.BREAK_THEN_PROCEED) {
        String why = "broken by a writer at " + clock.instant() + ": "
            + (FenceHolder.alive(index) ? "its lease had lapsed" : "its migration was gone") + " and the alias still named this index";
        write(index, now.get().with(State.LIFTED, why));
        System.getLogger(WriteFence.class.getName()).log(System.Logger.Level.WARNING, "index " + index
            + ": the write fence of the migration to " + now.get().targetFrom(index) + " was " + why
            + "; that migration cannot move the alias any more");
      }
      return null;
    });
  }

  /** The alias a fence names, as seen from the fenced index now. */
  public record AliasSeen(AliasView kind, Path names, String problem) {}

  static AliasSeen aliasView(Path index, Fence fence) {
    Path aliasFile = fence.aliasFrom(index);
    Optional<String> body;
    try {
      body = ChecksummedFile.read(aliasFile, "alias");
    } catch (StrataException damaged) {
      return new AliasSeen(AliasView.UNREADABLE, null, damaged.getMessage());
    }
    if (body.isEmpty()) {
      return new AliasSeen(AliasView.UNREADABLE, null, "alias " + aliasFile + " does not exist");
    }
    String named = ChecksummedFile.fields(body.get()).get("index");
    if (named == null) {
      return new AliasSeen(AliasView.UNREADABLE, null, "alias " + aliasFile + " names no index");
    }
    Path names = aliasFile.getParent().resolve(named).normalize();
    return new AliasSeen(sameDirectory(names, index) ? AliasView.NAMES_THIS_INDEX : AliasView.NAMES_ANOTHER, names, "");
  }

  private static WriteFencedException refusal(Path index, Fence fence, boolean migrating) {
    Path aliasFile = fence.aliasFrom(index);
    if (migrating) {
      return new WriteFencedException(index, aliasFile, fence.targetFrom(index), true,
          "lease " + fence.lease().toMillis() + " ms from " + fence.raisedAt());
    }
    AliasSeen seen = aliasView(index, fence);
    if (seen.kind() == AliasView.UNREADABLE) {
      return new WriteFencedException(index, aliasFile, fence.targetFrom(index), false, seen.problem()
          + ", so a commit here cannot be shown to reach any reader");
    }
    return new WriteFencedException(index, aliasFile, seen.names(), false, "");
  }

  /**
   * A raised fence, held by the migration that raised it: {@link #moveAlias} is its switch,
   * {@link #close} lifts it unless the alias moved, and releases the holder lock.
   */
  public static final class Raised implements AutoCloseable {
    private final Path index;
    private final Fence fence;
    private final long raisedNanos;
    private final LongSupplier nanoTime;
    private boolean moved;
    private boolean closed;

    private Raised(Path index, Fence fence, long raisedNanos, LongSupplier nanoTime) {
      this.index = index;
      this.fence = fence;
      this.raisedNanos = raisedNanos;
      this.nanoTime = nanoTime;
    }

    public long epoch() {
      return fence.epoch();
    }

    /** The lease left on the migration's own monotonic clock (negative once it ran out). */
    public Duration leaseLeft() {
      return fence.lease().minusNanos(nanoTime.getAsLong() - raisedNanos);
    }

    /**
     * The switch: under the fence lock, checks the fence still stands and the lease has time left,
     * runs {@code move} (the alias compare-and-set, given the lease left as its longest lock wait),
     * then retires the fence. If a check fails, or {@code move} throws, the fence is lifted and
     * nothing moved.
     *
     * @throws FenceLostException when the fence was broken or the lease ran out
     */
    public <T> T moveAlias(java.util.function.Function<Duration, T> move) {
      return exclusively(index, () -> {
        Optional<Fence> now = read(index);
        Duration left = leaseLeft();
        FenceRules.Switch verdict = FenceRules.mayMoveAlias(now.map(Fence::state).orElse(null),
            now.map(Fence::epoch).orElse(-1L), fence.epoch(), left.isPositive());
        if (verdict == FenceRules.Switch.ABORT_FENCE_BROKEN) {
          throw new FenceLostException(index, "its write fence was " + now.map(f -> f.note().isEmpty()
              ? "replaced by epoch " + f.epoch() + " (" + f.state().name().toLowerCase() + ")" : f.note())
              .orElse("removed") + "; writes may have been committed to it since, so the alias was not moved");
        }
        if (verdict == FenceRules.Switch.ABORT_LEASE_EXPIRED) {
          write(index, fence.with(State.LIFTED, "lifted: the migration's lease ran out before its switch"));
          throw new FenceLostException(index, "the write fence's lease (" + fence.lease().toMillis()
              + " ms) ran out before the switch, so writers may resume; the alias was not moved (run again:"
              + " the next catch-up starts smaller, or give --fence-timeout-ms more)");
        }
        T result;
        try {
          result = move.apply(left);
        } catch (RuntimeException e) {
          write(index, fence.with(State.LIFTED, "lifted: the switch failed: " + e.getMessage()));
          throw e;
        }
        write(index, fence.with(State.RETIRED, ""));
        moved = true;
        return result;
      });
    }

    /** Lifts the fence if it is still this migration's and the alias did not move; releases the holder. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!moved) {
          exclusively(index, () -> {
            Optional<Fence> now = read(index);
            if (now.isPresent() && now.get().epoch() == fence.epoch() && now.get().state() == State.MIGRATING) {
              write(index, fence.with(State.LIFTED, "lifted: the migration gave up before its switch"));
            }
            return null;
          });
        }
      } finally {
        FenceHolder.release(index);
      }
    }
  }

  /**
   * Raises a fence on {@code index} for a migration to {@code target} behind {@code aliasFile},
   * once no commit is in flight, holding the holder lock until {@link Raised#close}.
   *
   * @param aliasGeneration the alias's generation the migration read when it started
   * @throws StrataException if another live migration holds a fence on this index
   */
  public static Raised raise(Path index, Path aliasFile, Path target, long aliasGeneration, Duration lease, Clock clock) {
    return raise(index, aliasFile, target, aliasGeneration, lease, clock, System::nanoTime);
  }

  /** {@link #raise(Path, Path, Path, long, Duration, Clock)} with the migration's monotonic clock given (tests). */
  public static Raised raise(Path index, Path aliasFile, Path target, long aliasGeneration, Duration lease, Clock clock,
      LongSupplier nanoTime) {
    FenceHolder.take(index);
    try {
      return exclusively(index, () -> {
        long epoch = read(index).map(Fence::epoch).orElse(0L) + 1;
        Path base = absolute(index);
        Fence fence = new Fence(epoch, State.MIGRATING, base.relativize(absolute(aliasFile)).toString(),
            base.relativize(absolute(target)).toString(), aliasGeneration, lease, clock.instant(), "");
        long raisedNanos = nanoTime.getAsLong();
        write(index, fence);
        return new Raised(index, fence, raisedNanos, nanoTime);
      });
    } catch (RuntimeException e) {
      FenceHolder.release(index);
      throw e;
    }
  }

  /** Sets the fence on {@code index} lifted, whatever its state (an operator's or a test's override). */
  public static void lift(Path index, String why) {
    if (!Files.exists(index.resolve(FENCE_FILE))) {
      return;
    }
    exclusively(index, () -> {
      Optional<Fence> now = read(index);
      if (now.isPresent() && now.get().state() != State.LIFTED) {
        write(index, now.get().with(State.LIFTED, why));
      }
      return null;
    });
  }

  /** The fence on {@code index}, if one was ever raised (it may block nothing). */
  public static Optional<Fence> read(Path index) {
    return ChecksummedFile.read(index.resolve(FENCE_FILE), WHAT).map(body -> {
      Map<String, String> fields = ChecksummedFile.fields(body);
      try {
        if (!fields.containsKey("epoch")) {
          return legacy(index, fields);
        }
        return new Fence(Long.parseLong(fields.get("epoch")), State.valueOf(fields.get("state").toUpperCase()),
            fields.get("alias"), fields.get("target"), Long.parseLong(fields.get("aliasGeneration")),
            Duration.ofMillis(Long.parseLong(fields.get("leaseMillis"))), Instant.parse(fields.get("raisedAt")),
            fields.getOrDefault("note", ""));
      } catch (RuntimeException e) {
        throw new StrataException(WHAT + " " + index.resolve(FENCE_FILE) + " is not a valid fence: " + e, e);
      }
    });
  }

  /**
   * A fence of Strata 0.1's format (absolute paths, a process id): read as an abandoned migration,
   * so it blocks exactly while its alias names another index, as it did.
   */
  private static Fence legacy(Path index, Map<String, String> fields) {
    Path base = absolute(index);
    return new Fence(0, State.MIGRATING, base.relativize(absolute(Path.of(fields.get("alias")))).toString(),
        base.relativize(absolute(Path.of(fields.get("target")))).toString(), -1, Duration.ZERO,
        Instant.parse(fields.get("deadline")), "");
  }

  private static void write(Path index, Fence fence) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("format", Integer.toString(FORMAT));
    fields.put("epoch", Long.toString(fence.epoch()));
    fields.put("state", fence.state().name().toLowerCase());
    fields.put("alias", fence.alias());
    fields.put("target", fence.target());
    fields.put("aliasGeneration", Long.toString(fence.aliasGeneration()));
    fields.put("leaseMillis", Long.toString(fence.lease().toMillis()));
    fields.put("raisedAt", fence.raisedAt().toString());
    if (!fence.note().isEmpty()) {
      fields.put("note", fence.note().replace('\n', ' '));
    }
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    ChecksummedFile.write(index.resolve(FENCE_FILE), body.toString(), WHAT);
  }

  private static <T> T exclusively(Path index, Guarded<T> work) {
    ReentrantLock local = localLock(index);
    local.lock();
    try (FileChannel channel = lockChannel(index); FileLock ignored = channel.lock()) {
      return work.run();
    } catch (IOException e) {
      throw new StrataException("cannot fence index " + index + ": " + e, e);
    } finally {
      local.unlock();
    }
  }

  private static ReentrantLock localLock(Path index) {
    return IN_PROCESS.computeIfAbsent(FenceHolder.key(index), k -> new ReentrantLock());
  }

  private static FileChannel lockChannel(Path index) throws IOException {
    return FileChannel.open(index.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  private static Path absolute(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return absolute(a).equals(absolute(b));
    }
  }
}
