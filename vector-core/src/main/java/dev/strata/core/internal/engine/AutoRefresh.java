package dev.strata.core.internal.engine;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.internal.io.DaemonThreads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic refresh of a read-only index, so that it follows its writer without the caller
 * asking. All indexes of a process share one daemon thread: a refresh with nothing new is one
 * small file read.
 */
final class AutoRefresh implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AutoRefresh.class.getName());
  private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("strata-refresh"));

  private final ScheduledFuture<?> task;
  private volatile boolean failing;

  private AutoRefresh(Path path, Duration interval, Runnable refresh, ScheduledExecutorService scheduler) {
    long millis = Math.max(1, interval.toMillis());
    this.task = (scheduler != null ? scheduler : THREAD).scheduleWithFixedDelay(() -> {
      try {
        refresh.run();
        if (failing) {
          failing = false;
          LOG.log(System.Logger.Level.INFO, "index " + path + ": refreshing works again");
        }
      } catch (IndexDamagedException e) {
        throw e; // the index is out of service and said so; refreshing on would say nothing new
      } catch (org.apache.lucene.store.AlreadyClosedException e) {
        // closed while this refresh ran: nothing to refresh any more
      } catch (RuntimeException e) {
        if (!failing) { // once per run of failures, not once a second
          failing = true;
          LOG.log(System.Logger.Level.WARNING, "index " + path + ": cannot refresh (retrying every " + interval
              + "); searches answer from the snapshot they had", e);
        }
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Refreshes every {@code interval} until closed, on {@code scheduler} (null: the shared thread);
   * null when the interval is zero (off).
   */
  static AutoRefresh schedule(Path path, Duration interval, Runnable refresh, ScheduledExecutorService scheduler) {
    return interval.isZero() ? null : new AutoRefresh(path, interval, refresh, scheduler);
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
