package dev.strata.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A close stops a running graph build through the merge abort alone, never by interrupting its
 * thread (an interrupt during file I/O closes the channel, the write lock's included), and a build
 * that was waiting behind it does not run.
 */
class GraphBuildsTest {
  @Test
  void aCloseAbortsTheRunningBuildWithoutAnInterruptAndDropsTheWaitingOne() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicInteger builds = new AtomicInteger();
    GraphBuilds graphBuilds = new GraphBuilds(Path.of("idx"), () -> {
      builds.incrementAndGet();
      started.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (aborted.getCount() > 0 && System.nanoTime() < deadline) { // a merge checks its abort flag as it goes
        if (Thread.currentThread().isInterrupted()) {
          interrupted.set(true);
        }
        Thread.onSpinWait();
      }
      if (Thread.currentThread().isInterrupted()) { // where the build would go on to commit: file I/O
        interrupted.set(true);
      }
    }, aborted::countDown);
    graphBuilds.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    graphBuilds.start(); // waits behind the running one
    assertThat(graphBuilds.running()).isTrue();

    graphBuilds.close();

    assertThat(aborted.getCount()).as("the merge abort was asked for").isZero();
    assertThat(interrupted).as("the build's thread was interrupted").isFalse();
    assertThat(builds).as("builds that ran").hasValue(1);
    assertThat(graphBuilds.running()).isFalse();
  }
}
