package dev.strata.core.internal.fence;

import java.util.function.Supplier;

/**
 * The decisions of the live-migration protocol ({@code docs/design/live-migration.md}), free of
 * I/O: {@link WriteFence} applies them to files and locks, and {@code MigrationProtocolModelTest}
 * explores them over thousands of schedules. Safety rests on two of them being made under the
 * same lock, the fence lock of the source index: a writer breaking an abandoned fence, and the
 * migration checking, just before it moves the alias, that its fence still stands.
 */
public final class FenceRules {
  /** A fence's state: the final catch-up under way, the alias moved away for good, or blocking nothing. */
  public enum State {
    MIGRATING, RETIRED, LIFTED
  }

  /** What a commit to a fenced index may do. */
  public enum Commit {
    /** Nothing blocks it. */
    PROCEED,
    /** The fence was abandoned while the alias still names this index: break it (same epoch only), then commit. */
    BREAK_THEN_PROCEED,
    /** The migration is finishing: refused for now. */
    REFUSE_MIGRATING,
    /** The alias names another index, or cannot be read: refused until it names this one again. */
    REFUSE_MOVED
  }

  /** What the alias a fence names says now, seen from the fenced index. */
  public enum AliasView {
    NAMES_THIS_INDEX, NAMES_ANOTHER, UNREADABLE
  }

  /** Whether a migration may move the alias, checked under the fence lock just before it does. */
  public enum Switch {
    PROCEED,
    /** A writer broke the fence (it decided the migration was gone), or another migration raised its own. */
    ABORT_FENCE_BROKEN,
    /** The migration's own lease ran out: writers may already have broken it, or soon will. */
    ABORT_LEASE_EXPIRED
  }

  private FenceRules() {}

  /**
   * The commit rule.
   *
   * @param state the fence's state, null when there is none
   * @param holderAlive whether the migration that raised it still holds its holder lock
   * @param leaseLapsed whether its lease has run out on the writer's clock (plus a grace)
   * @param alias read only when the decision depends on it
   */
  public static Commit commit(State state, boolean holderAlive, boolean leaseLapsed, Supplier<AliasView> alias) {
    if (state == null || state == State.LIFTED) {
      return Commit.PROCEED;
    }
    if (state == State.MIGRATING && holderAlive && !leaseLapsed) {
      return Commit.REFUSE_MIGRATING;
    }
    if (alias.get() != AliasView.NAMES_THIS_INDEX) {
      return Commit.REFUSE_MOVED; // retired, or the migration died after moving the alias
    }
    return state == State.MIGRATING ? Commit.BREAK_THEN_PROCEED : Commit.PROCEED; // retired, then pointed back
  }

  /**
   * The switch rule.
   *
   * @param state the fence's state now, null when there is none
   * @param epoch the fence's epoch now
   * @param ownEpoch the epoch the migration raised
   * @param leaseLeft whether the migration's lease, on its own monotonic clock, has time left
   */
  public static Switch mayMoveAlias(State state, long epoch, long ownEpoch, boolean leaseLeft) {
    if (state != State.MIGRATING || epoch != ownEpoch) {
      return Switch.ABORT_FENCE_BROKEN;
    }
    return leaseLeft ? Switch.PROCEED : Switch.ABORT_LEASE_EXPIRED;
  }

  /** The alias compare-and-set: it must still be what the migration read when it started. */
  public static boolean aliasUnchanged(long expectedGeneration, boolean namesExpectedIndex, long generationNow) {
    return namesExpectedIndex && generationNow == expectedGeneration;
  }
}
