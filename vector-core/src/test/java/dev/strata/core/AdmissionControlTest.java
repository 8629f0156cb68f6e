package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The admission protocol of {@code docs/design/admission.md}, with the calls' order set by latches
 * (no timing decides an outcome): full running and queue refuse at once, a deadline passing in the
 * queue leaves it, permits come back whatever the call did, and the queue is served in order.
 */
class AdmissionControlTest {
  private static final Duration NONE = null;

  @Test
  void beyondRunningAndQueuedACallIsRefusedAtOnceSayingWhatWasFull() throws Exception {
    AdmissionControl control = new AdmissionControl("searches of index idx", new AdmissionLimits(1, 1));
    AdmissionControl.Permit first = control.enter(Long.MAX_VALUE, NONE);
    CompletableFuture<AdmissionControl.Permit> second = CompletableFuture.supplyAsync(
        () -> control.enter(Long.MAX_VALUE, NONE));
    awaitQueued(control, 1);
    long before = System.nanoTime();
    assertThatThrownBy(() -> control.enter(Long.MAX_VALUE, NONE)).isInstanceOfSatisfying(OverloadedException.class, e -> {
      assertThat(e.resource()).isEqualTo("searches of index idx");
      assertThat(e.maxRunning()).isEqualTo(1);
      assertThat(e.queued()).isEqualTo(1);
      assertThat(e.maxQueued()).isEqualTo(1);
      assertThat(e.retryAfter()).isPositive();
      assertThat(e.getMessage()).contains("back off");
    });
    assertThat(System.nanoTime() - before).as("refused without waiting for the running call")
        .isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(control.rejected()).isEqualTo(1);
    first.close();
    second.get(30, TimeUnit.SECONDS).close();
    assertThat(control.running()).isZero();
    assertThat(control.queued()).isZero();
  }

  @Test
  void aDeadlinePassingInTheQueueLeavesItAndTheNextCallStillGetsIn() {
    AdmissionControl control = new AdmissionControl("searches of index idx", new AdmissionLimits(1, 4));
    AdmissionControl.Permit held = control.enter(Long.MAX_VALUE, NONE);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
    assertThatThrownBy(() -> control.enter(deadline, Duration.ofMillis(30)))
        .isInstanceOf(DeadlineExceededException.class).hasMessageContaining("30 ms").hasMessageContaining("admission");
    assertThat(System.nanoTime()).as("it did not wait much past its deadline")
        .isLessThan(deadline + TimeUnit.SECONDS.toNanos(5));
    assertThat(control.timedOut()).isEqualTo(1);
    assertThat(control.queued()).as("it left the queue").isZero();
    held.close();
    held.close(); // a second close gives nothing back twice
    assertThat(control.running()).isZero();
    try (AdmissionControl.Permit next = control.enter(Long.MAX_VALUE, NONE)) {
      assertThat(control.running()).isEqualTo(1);
    }
    assertThat(control.running()).isZero();
  }

  @Test
  void theQueueIsServedInArrivalOrder() throws Exception {
    AdmissionControl control = new AdmissionControl("embeddings of m", new AdmissionLimits(1, 8));
    AdmissionControl.Permit held = control.enter(Long.MAX_VALUE, NONE);
    List<Integer> admitted = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      waiters.add(CompletableFuture.runAsync(() -> {
        try (AdmissionControl.Permit p = control.enter(Long.MAX_VALUE, NONE)) {
          admitted.add(n);
        }
      }, runnable -> new Thread(runnable).start()));
      awaitParked(control, i + 1); // the next one arrives after this one waits for its permit
    }
    held.close();
    for (CompletableFuture<Void> w : waiters) {
      w.get(30, TimeUnit.SECONDS);
    }
    assertThat(admitted).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aFailingCallGivesItsPermitBack() {
    AdmissionControl control = new AdmissionControl("searches of index idx", new AdmissionLimits(1, 0));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> {
        try (AdmissionControl.Permit p = control.enter(Long.MAX_VALUE, NONE)) {
          throw new IllegalStateException("the search failed");
        }
      }).hasMessage("the search failed");
    }
    assertThat(control.running()).isZero();
    assertThat(control.rejected()).isZero();
  }

  private static void awaitParked(AdmissionControl control, int parked) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (control.parked() < parked) {
      assertThat(System.nanoTime()).as("a caller parked within 30 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static void awaitQueued(AdmissionControl control, int queued) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (control.queued() < queued) {
      assertThat(System.nanoTime()).as("a caller queued within 30 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
