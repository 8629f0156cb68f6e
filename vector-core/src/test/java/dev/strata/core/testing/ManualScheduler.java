package dev.strata.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when a test says so ({@link #runPending}), on the test's thread:
 * an index's auto-refresh or scrub ({@code IndexOptions.Builder.scheduler}) becomes a step the test
 * takes instead of a wait. Delays are ignored: every task scheduled is due at the next call. A
 * periodic task that throws is not run again, as with the JDK's schedulers.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  /** Runs every task due (each periodic one once, each one-shot one once and for all); how many ran. */
  public int runPending() {
    List<Task> due;
    synchronized (this) {
      due = new ArrayList<>(tasks);
      tasks.removeIf(t -> !t.periodic || t.cancelled);
    }
    int ran = 0;
    for (Task task : due) {
      if (!task.cancelled) {
        task.runOnce();
        ran++;
      }
    }
    return ran;
  }

  /** Tasks scheduled and not cancelled. */
  public synchronized int scheduled() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  private synchronized Task add(Runnable body, boolean periodic) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task task = new Task(body, periodic);
    tasks.add(task);
    return task;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, false);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("Strata schedules runnables only");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, true);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, true);
  }

  @Override
  public void execute(Runnable command) {
    add(command, false);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  /** One scheduled task; its future is done once cancelled, or once a one-shot or failed run is over. */
  private static final class Task implements ScheduledFuture<Object>, Runnable {
    private final Runnable body;
    private final boolean periodic;
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile Throwable failure;

    Task(Runnable body, boolean periodic) {
      this.body = body;
      this.periodic = periodic;
    }

    void runOnce() {
      try {
        body.run();
        done = !periodic;
      } catch (RuntimeException | Error e) {
        failure = e;
        done = true;
        cancelled = true; // a failed periodic task is not run again
      }
    }

    @Override
    public void run() {
      runOnce();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean was = cancelled;
      cancelled = true;
      return !was;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() throws ExecutionException {
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }
}
