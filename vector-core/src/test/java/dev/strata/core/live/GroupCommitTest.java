package dev.strata.core.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit in isolation: callers that arrive while a commit runs share the next one. */
class GroupCommitTest {
  @Test
  void callersArrivingDuringACommitShareTheNextOne() throws Exception {
    GroupCommit group = new GroupCommit();
    CountDownLatch firstCommitStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    AtomicInteger commits = new AtomicInteger();
    GroupCommit.Round slowFirst = () -> {
      if (commits.incrementAndGet() == 1) {
        firstCommitStarted.countDown();
        await(releaseFirstCommit);
      }
    };
    ExecutorService threads = Executors.newFixedThreadPool(9);
    try {
      Future<?> first = threads.submit(() -> group.awaitDurable(buffer(group), slowFirst));
      assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();
      // Eight callers buffer while the first commit runs; they block until it ends (as Strata's own
      // commit blocks writes), then all land in one round.
      List<Future<?>> others = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        others.add(threads.submit(() -> group.awaitDurable(buffer(group), slowFirst)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (group.buffering.getQueueLength() < 8) { // all eight wait to buffer behind the running commit
        assertThat(System.nanoTime()).as("the eight callers reached the buffer within 30 s").isLessThan(deadline);
        Thread.onSpinWait();
      }
      assertThat(commits.get()).as("nobody commits while a commit runs").isEqualTo(1);
      releaseFirstCommit.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (Future<?> other : others) {
        other.get(10, TimeUnit.SECONDS);
      }
      assertThat(commits.get()).as("nine callers, two commits").isEqualTo(2);
      assertThat(group.rounds()).isEqualTo(2);
      assertThat(group.pending()).isFalse();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void everyCallerOfAFailedRoundIsToldAndTheNextRoundStartsClean() {
    GroupCommit group = new GroupCommit();
    long a = buffer(group);
    long b = buffer(group);
    GroupCommit.Round failing = () -> {
      throw new StrataException("disk full");
    };
    assertThatThrownBy(() -> group.awaitDurable(a, failing)).hasMessageContaining("disk full");
    assertThatThrownBy(() -> group.awaitDurable(b, failing)).as("b was in the same round").hasMessageContaining("disk full");
    long c = buffer(group);
    AtomicInteger commits = new AtomicInteger();
    group.awaitDurable(c, commits::incrementAndGet);
    assertThat(commits.get()).isEqualTo(1);
    assertThatThrownBy(() -> group.awaitDurable(a, commits::incrementAndGet)).as("a failure stays a failure")
        .hasMessageContaining("disk full");
    group.commitNow(commits::incrementAndGet);
    assertThat(commits.get()).as("nothing new to commit").isEqualTo(1);
  }

  private static long buffer(GroupCommit group) {
    group.buffering.readLock().lock();
    try {
      return group.issue();
    } finally {
      group.buffering.readLock().unlock();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
