package dev.strata.core.internal.io;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for Strata's background work (refresh, scrub, live commits, compaction
 * schedules, merges): daemon threads, so an application that forgets to close an index still
 * exits, named so a thread dump says whose they are.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads all called {@code name} (for single-thread executors). */
  public static ThreadFactory named(String name) {
    return task -> daemon(task, name);
  }

  /** Daemon threads called {@code prefix} followed by 1, 2, 3... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> daemon(task, prefix + next.incrementAndGet());
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
