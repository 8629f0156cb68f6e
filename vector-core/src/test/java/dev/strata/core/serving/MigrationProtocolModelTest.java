package dev.strata.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.internal.fence.FenceRules.AliasView;
import dev.strata.core.internal.fence.FenceRules.State;
import dev.strata.core.internal.fence.FenceRules;
import dev.strata.core.testing.TestSeeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The live-migration protocol of {@code docs/design/live-migration.md} as a deterministic model:
 * two migrations of one alias, two writers that follow the alias as {@code LiveIndex} does, and an
 * operator's {@code alias set}, interleaved step by step by a seeded scheduler that also kills any
 * actor at any step (its OS locks go, as the kernel releases them) and lets leases lapse on the
 * migrations' and the writers' clocks independently (skew). Each step is what the real code does
 * under one lock; every decision is the real one ({@link FenceRules}). After each schedule the
 * invariant is checked: every write an index acknowledged while the alias named it is in the index
 * the alias names at the end, unless the operator moved the alias after it; and no index acknowledges
 * a write after a migration moved the alias away from it.
 *
 * <p>The same explorer, with the switch's fence re-check or the alias compare-and-set left out,
 * finds a lost write: the model can fail.
 */
class MigrationProtocolModelTest {
  /** Schedules per run of bin/test; {@code -Dtests.multiplier} multiplies them. */
  static final int SCHEDULES = 50_000;

  @Test
  void noScheduleLosesAnAcknowledgedWrite() {
    long seed = TestSeeds.seed("MigrationProtocolModelTest");
    Random random = new Random(seed);
    int schedules = SCHEDULES * TestSeeds.multiplier();
    Outcomes outcomes = new Outcomes();
    for (int i = 0; i < schedules; i++) {
      long scheduleSeed = random.nextLong();
      Model model = new Model(new Random(scheduleSeed), Flaw.NONE);
      model.run();
      assertThat(model.violations()).as("schedule %d (%s), %s", i, scheduleSeed, TestSeeds.describe(seed)).isEmpty();
      outcomes.add(model.counts);
    }
    System.out.printf("migration protocol model: %d schedules, %s%n", schedules, outcomes);
    // The schedules reach the cases that matter, not only quiet ones.
    assertThat(outcomes.switched).isPositive();
    assertThat(outcomes.abortedBrokenFence).isPositive();
    assertThat(outcomes.abortedAliasChanged).isPositive();
    assertThat(outcomes.abortedLease).isPositive();
    assertThat(outcomes.refusedSecondMigration).isPositive();
    assertThat(outcomes.fencesBroken).isPositive();
    assertThat(outcomes.killedMigrations).isPositive();
    assertThat(outcomes.writerFollowed).isPositive();
  }

  @Test
  void withoutTheSwitchsFenceCheckALeaseLapseLosesWrites() {
    // Either way the flaw loses a write: one acknowledged by the target is missing from it after the
    // alias moved, or the source acknowledged one after the switch moved the alias away. Which the
    // explorer meets first depends on the run's seed (one CI run met the second).
    assertThat(firstViolation(Flaw.SWITCH_IGNORES_FENCE)).as("a lost write found").isNotNull()
        .containsAnyOf("not in the index the alias names", "after a migration moved the alias away from it");
  }

  @Test
  void withoutTheAliasCompareAndSetAnOperatorsMoveLosesWrites() {
    assertThat(firstViolation(Flaw.SWITCH_IGNORES_ALIAS_CHANGE)).as("a lost write found").isNotNull();
  }

  @Test
  void withoutBreakingAnAbandonedFenceUnderItsLockALapsedLeaseLosesWrites() {
    assertThat(firstViolation(Flaw.WRITERS_PASS_ABANDONED_FENCE)).as("a lost write found").isNotNull();
  }

  private static String firstViolation(Flaw flaw) {
    Random random = new Random(TestSeeds.seed("MigrationProtocolModelTest." + flaw));
    for (int i = 0; i < SCHEDULES; i++) {
      Model model = new Model(new Random(random.nextLong()), flaw);
      model.run();
      if (!model.violations().isEmpty()) {
        return model.violations().get(0);
      }
    }
    return null;
  }

  /** A rule left out, to show that the model finds what it costs. */
  enum Flaw {
    NONE,
    /** The switch moves the alias without checking, under the fence lock, that its fence still stands. */
    SWITCH_IGNORES_FENCE,
    /** The switch moves the alias without checking it still names the source at the generation read. */
    SWITCH_IGNORES_ALIAS_CHANGE,
    /** Writers commit through an abandoned fence without breaking it first (round two's fence). */
    WRITERS_PASS_ABANDONED_FENCE
  }

  static final class Outcomes {
    int switched;
    int abortedBrokenFence;
    int abortedAliasChanged;
    int abortedLease;
    int refusedSecondMigration;
    int fencesBroken;
    int killedMigrations;
    int writerFollowed;

    void add(Outcomes o) {
      switched += o.switched;
      abortedBrokenFence += o.abortedBrokenFence;
      abortedAliasChanged += o.abortedAliasChanged;
      abortedLease += o.abortedLease;
      refusedSecondMigration += o.refusedSecondMigration;
      fencesBroken += o.fencesBroken;
      killedMigrations += o.killedMigrations;
      writerFollowed += o.writerFollowed;
    }

    @Override
    public String toString() {
      return "switches " + switched + ", aborts (fence broken " + abortedBrokenFence + ", alias changed "
          + abortedAliasChanged + ", lease " + abortedLease + "), second migrations refused " + refusedSecondMigration
          + ", fences broken by writers " + fencesBroken + ", migrations killed " + killedMigrations
          + ", writer moves " + writerFollowed;
    }
  }

  /** One index: what it committed, its fence, and the OS locks on its fence and holder files. */
  static final class Index {
    final String name;
    final Set<Integer> committed = new HashSet<>();
    State fenceState;
    long fenceEpoch;
    int fenceAliasGeneration;
    Actor fenceExclusive;
    final Set<Actor> fenceShared = new HashSet<>();
    Actor holder;
    /** Who moved the alias away from this index last: a migration, or the operator. */
    boolean movedAwayByMigration;

    Index(String name) {
      this.name = name;
    }

    boolean fenceLockFreeFor(Actor a, boolean exclusive) {
      if (fenceExclusive != null && fenceExclusive != a) {
        return false;
      }
      return !exclusive || fenceShared.isEmpty() || (fenceShared.size() == 1 && fenceShared.contains(a));
    }
  }

  /** An acknowledged write: which index acknowledged it, and whether the alias named that index then. */
  record Ack(int write, Index index, boolean aliasNamedIt, int operatorMovesBefore) {}

  abstract static class Actor {
    final String name;
    int pc;
    boolean done;

    Actor(String name) {
      this.name = name;
    }

    /** Whether the next step can run now (it does not wait on a lock held by another). */
    abstract boolean enabled();

    abstract void step();

    /** The OS locks go with the process; what was only in its memory is gone. */
    abstract void kill();

    @Override
    public String toString() {
      return name + "@" + pc;
    }
  }

  static final class Model {
    final Random random;
    final Flaw flaw;
    final Index blue = new Index("blue");
    final Index blueCopy = new Index("blue-copy");
    final List<Actor> actors = new ArrayList<>();
    final List<Ack> acks = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    Index aliasTarget = blue;
    int aliasGeneration = 1;
    Actor aliasLock;
    Actor migrationLock;
    int operatorMoves;
    int nextWrite = 100;
    final Outcomes counts = new Outcomes();

    Model(Random random, Flaw flaw) {
      this.random = random;
      this.flaw = flaw;
      for (int w = 0; w < 5; w++) {
        blue.committed.add(w);
        blueCopy.committed.add(w); // a copy the operator made before the run
      }
      actors.add(new Migration("m1", new Index("green1")));
      actors.add(new Migration("m2", new Index("green2")));
      actors.add(new Writer("w1"));
      actors.add(new Writer("w2"));
      if (random.nextBoolean()) {
        actors.add(new Operator());
      }
    }

    List<String> violations() {
      return violations;
    }

    void run() {
      int steps = 0;
      while (steps++ < 2_000) {
        List<Actor> ready = new ArrayList<>();
        for (Actor a : actors) {
          if (!a.done && a.enabled()) {
            ready.add(a);
          }
        }
        if (ready.isEmpty()) {
          break;
        }
        Actor next = ready.get(random.nextInt(ready.size()));
        int roll = random.nextInt(100);
        if (roll < 2) {
          next.kill();
          next.done = true;
          if (next instanceof Migration) {
            counts.killedMigrations++;
          }
        } else if (roll < 6) {
          lapseSomeLease();
        } else {
          next.step();
        }
      }
      for (Actor a : actors) {
        if (!a.done) {
          violations.add("deadlock or livelock: " + a + " never finished; " + actors);
          return;
        }
      }
      checkInvariant();
    }

    /** Clocks run apart: a migration's own lease, or one writer's view of a fence's lease, runs out. */
    void lapseSomeLease() {
      Actor a = actors.get(random.nextInt(actors.size()));
      if (a instanceof Migration m) {
        m.leaseLeft = false;
      } else if (a instanceof Writer w) {
        w.lapsedEpochOf.put(w.at, w.at.fenceEpoch);
      }
    }

    void checkInvariant() {
      for (Ack ack : acks) {
        if (ack.aliasNamedIt() && ack.operatorMovesBefore() == operatorMoves && !aliasTarget.committed.contains(ack.write())) {
          violations.add("write " + ack.write() + " acknowledged by " + ack.index().name + " while the alias named it is"
              + " not in the index the alias names (" + aliasTarget.name + ")");
        }
      }
    }

    boolean holderAlive(Index index) {
      return index.holder != null && !index.holder.done;
    }

    AliasView aliasSeenFrom(Index index) {
      return aliasTarget == index ? AliasView.NAMES_THIS_INDEX : AliasView.NAMES_ANOTHER;
    }

    void moveAlias(Index to, boolean byMigration) {
      aliasTarget.movedAwayByMigration = byMigration;
      aliasTarget = to;
      aliasGeneration++;
      if (!byMigration) {
        operatorMoves++;
      }
    }

    /** A migration: the steps of docs/design/live-migration.md, one lock scope per step. */
    final class Migration extends Actor {
      final Index target;
      Index source;
      int generationRead;
      long epoch;
      boolean leaseLeft = true;
      boolean holdsMigrationLock;

      Migration(String name, Index target) {
        super(name);
        this.target = target;
      }

      @Override
      boolean enabled() {
        return switch (pc) {
          case 4, 6 -> source.fenceLockFreeFor(this, true);
          case 7 -> aliasLock == null || aliasLock == this || !leaseLeft; // a lock wait bounded by the lease
          default -> true;
        };
      }

      @Override
      void step() {
        switch (pc) {
          case 0 -> { // 1. one migration per alias; read the alias under it
            if (migrationLock != null) {
              counts.refusedSecondMigration++;
              done = true;
              return;
            }
            migrationLock = this;
            holdsMigrationLock = true;
            source = aliasTarget;
            generationRead = aliasGeneration;
            pc = 1;
          }
          case 1 -> { // 2. bulk pass from a snapshot of the source
            target.committed.addAll(source.committed);
            pc = 2;
          }
          case 2 -> { // a catch-up round
            target.committed.clear();
            target.committed.addAll(source.committed);
            pc = 3;
          }
          case 3 -> { // 3. the holder lock of the source
            if (source.holder != null && !source.holder.done) {
              finish(); // another migration fences this index
              return;
            }
            source.holder = this;
            pc = 4;
          }
          case 4 -> { // 3. raise, under the fence lock exclusive (a step: taken, written, released)
            epoch = source.fenceEpoch + 1;
            source.fenceEpoch = epoch;
            source.fenceState = State.MIGRATING;
            source.fenceAliasGeneration = generationRead;
            pc = 5;
          }
          case 5 -> { // 4. final catch-up: the source's latest commit
            target.committed.clear();
            target.committed.addAll(source.committed);
            pc = 6;
          }
          case 6 -> { // 5. take the fence lock exclusive and check the fence still stands
            source.fenceExclusive = this;
            FenceRules.Switch verdict = FenceRules.mayMoveAlias(source.fenceState, source.fenceEpoch, epoch, leaseLeft);
            if (flaw == Flaw.SWITCH_IGNORES_FENCE) {
              verdict = FenceRules.Switch.PROCEED;
            }
            if (verdict == FenceRules.Switch.ABORT_FENCE_BROKEN) {
              counts.abortedBrokenFence++;
              finish();
            } else if (verdict == FenceRules.Switch.ABORT_LEASE_EXPIRED) {
              counts.abortedLease++;
              source.fenceState = State.LIFTED;
              finish();
            } else {
              pc = 7;
            }
          }
          case 7 -> { // 5c. the alias compare-and-set, its lock wait bounded by the lease
            if (aliasLock != null && aliasLock != this) {
              counts.abortedLease++;
              source.fenceState = State.LIFTED;
              finish();
              return;
            }
            boolean unchanged = FenceRules.aliasUnchanged(generationRead, aliasTarget == source, aliasGeneration);
            if (!unchanged && flaw != Flaw.SWITCH_IGNORES_ALIAS_CHANGE) {
              counts.abortedAliasChanged++;
              source.fenceState = State.LIFTED;
              finish();
              return;
            }
            moveAlias(target, true);
            pc = 8;
          }
          case 8 -> { // 5d. retire the fence, release everything
            source.fenceState = State.RETIRED;
            counts.switched++;
            finish();
          }
          default -> throw new AssertionError(this);
        }
      }

      /** The end, switched or aborted: the fence lock, the holder and the migration lock go. */
      private void finish() {
        if (source != null) {
          if (source.fenceExclusive == this) {
            source.fenceExclusive = null;
          }
          if (source.holder == this) {
            if (source.fenceState == State.MIGRATING && source.fenceEpoch == epoch) {
              source.fenceState = State.LIFTED; // Raised.close: gave up before the switch
            }
            source.holder = null;
          }
        }
        if (holdsMigrationLock) {
          migrationLock = null;
        }
        done = true;
      }

      @Override
      void kill() {
        if (source != null && source.fenceExclusive == this) {
          source.fenceExclusive = null;
        }
        if (source != null && source.holder == this) {
          source.holder = null;
        }
        if (holdsMigrationLock) {
          migrationLock = null;
        }
        if (aliasLock == this) {
          aliasLock = null;
        }
      }
    }

    /** A writer through the alias (LiveIndex): commits where the alias pointed, follows it when refused. */
    final class Writer extends Actor {
      final Map<Index, Long> lapsedEpochOf = new HashMap<>();
      final List<Integer> pending = new ArrayList<>();
      Index at;
      int written;
      int refusals;

      Writer(String name) {
        super(name);
        at = aliasTarget;
      }

      @Override
      boolean enabled() {
        return switch (pc) {
          case 1 -> at.fenceLockFreeFor(this, false);
          case 2 -> at.fenceLockFreeFor(this, true);
          default -> true;
        };
      }

      @Override
      void step() {
        switch (pc) {
          case 0 -> { // buffer a write
            if (written == 3) {
              done = true;
              return;
            }
            pending.add(nextWrite++);
            written++;
            refusals = 0;
            pc = 1;
          }
          case 1 -> { // commit under the fence lock shared (taken, decided, released in one step)
            boolean lapsed = lapsedEpochOf.getOrDefault(at, -1L) >= at.fenceEpoch;
            FenceRules.Commit verdict = FenceRules.commit(at.fenceState, holderAlive(at), lapsed, () -> aliasSeenFrom(at));
            switch (verdict) {
              case PROCEED -> acknowledge();
              case BREAK_THEN_PROCEED -> pc = flaw == Flaw.WRITERS_PASS_ABANDONED_FENCE ? 3 : 2;
              case REFUSE_MIGRATING, REFUSE_MOVED -> refused();
              default -> throw new AssertionError(verdict);
            }
          }
          case 2 -> { // break an abandoned fence: under the fence lock exclusive, same epoch, still abandoned
            boolean lapsed = lapsedEpochOf.getOrDefault(at, -1L) >= at.fenceEpoch;
            if (at.fenceState == State.MIGRATING && FenceRules.commit(at.fenceState, holderAlive(at), lapsed,
                () -> aliasSeenFrom(at)) == FenceRules.Commit.BREAK_THEN_PROCEED) {
              at.fenceState = State.LIFTED;
              counts.fencesBroken++;
            }
            pc = 1;
          }
          case 3 -> { // the flaw: commit as if the abandoned fence were not there
            acknowledge();
          }
          default -> throw new AssertionError(this);
        }
      }

      private void acknowledge() {
        at.committed.addAll(pending);
        for (int w : pending) {
          acks.add(new Ack(w, at, aliasTarget == at, operatorMoves));
          if (aliasTarget != at && at.movedAwayByMigration) {
            violations.add("write " + w + " acknowledged by " + at.name + " after a migration moved the alias away from it");
          }
        }
        pending.clear();
        pc = 0;
      }

      /** Refused: follow the alias if it moved (the buffered writes go along), else retry, a bounded number of times. */
      private void refused() {
        if (aliasTarget != at) {
          at = aliasTarget;
          counts.writerFollowed++;
          return;
        }
        if (++refusals > 50) {
          pending.clear(); // told the caller it failed: never acknowledged
          pc = 0;
        }
      }

      @Override
      void kill() {
        pending.clear(); // unacknowledged
      }
    }

    /** An operator's {@code alias set A blue-copy}: a compare-and-set on whatever it reads under the alias lock. */
    final class Operator extends Actor {
      Operator() {
        super("operator");
      }

      @Override
      boolean enabled() {
        return pc != 1 || aliasLock == null || aliasLock == this;
      }

      @Override
      void step() {
        switch (pc) {
          case 0 -> pc = 1; // decides to act, at some point of the run
          case 1 -> {
            aliasLock = this;
            pc = 2;
          }
          case 2 -> {
            moveAlias(blueCopy, false);
            aliasLock = null;
            done = true;
          }
          default -> throw new AssertionError(this);
        }
      }

      @Override
      void kill() {
        if (aliasLock == this) {
          aliasLock = null;
        }
      }
    }
  }
}
