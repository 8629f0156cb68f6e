package dev.strata.core.internal.engine;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.internal.io.DaemonThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The background scrub of one open index: every interval, one paced pass over the files its
 * current snapshot serves. All indexes of a process share one daemon thread, so an application
 * with many indexes scrubs one at a time and never competes with itself for disk bandwidth.
 */
final class IntegrityScrub implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IntegrityScrub.class.getName());
  private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("strata-scrub"));

  interface Pass {
    void run() throws IOException;
  }

  private final ScheduledFuture<?> task;

  private IntegrityScrub(ScheduledFuture<?> task) {
    this.task = task;
  }

  /** Runs {@code pass} every {@code interval} until closed, on {@code scheduler} (null: the shared thread). */
  static IntegrityScrub schedule(Path path, Duration interval, Pass pass, ScheduledExecutorService scheduler) {
    long millis = interval.toMillis();
    return new IntegrityScrub((scheduler != null ? scheduler : THREAD).scheduleWithFixedDelay(() -> {
      try {
        pass.run();
      } catch (IndexDamagedException e) {
        // Logged where it was found; the index now refuses searches, and scrubbing on says nothing new.
        throw e; // ends this schedule
      } catch (IOException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return; // closed mid-pass
        }
        LOG.log(System.Logger.Level.WARNING, "index " + path + ": a scrub pass failed; the next one runs in " + interval, e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    task.cancel(true);
  }
}
