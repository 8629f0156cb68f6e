package dev.strata.core.live;

import dev.strata.core.StrataException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Hands out a ticket for each buffered write and commits them in rounds: a caller that needs its
 * ticket durable either finds a commit already covering it or becomes the leader of the next one,
 * which takes every write buffered until it starts. Writes buffer under the shared side of
 * {@link #buffering}, a commit runs under the exclusive side, so a round holds exactly the tickets
 * handed out before it began (and Strata's own commit blocks writes for its duration anyway).
 */
final class GroupCommit {
  /** What a round commits: everything buffered so far. */
  interface Round {
    void commit();
  }

  // Fair: a leader queues behind the writers already waiting to buffer, so they make its round.
  final ReentrantReadWriteLock buffering = new ReentrantReadWriteLock(true);
  private final Object monitor = new Object();
  private final TreeMap<Long, Failed> failures = new TreeMap<>(); // by first ticket of a failed round
  private long issued; // guarded by monitor
  private long durable; // guarded by monitor
  private boolean committing; // guarded by monitor
  private long rounds; // guarded by monitor

  private record Failed(long lastTicket, RuntimeException cause) {}

  /** Call with {@code buffering}'s shared side held, after the write was buffered. */
  long issue() {
    synchronized (monitor) {
      return ++issued;
    }
  }

  /** Whether tickets were issued that no commit covers yet. */
  boolean pending() {
    synchronized (monitor) {
      return issued > durable;
    }
  }

  /** Commits made so far (rounds that committed something). */
  long rounds() {
    synchronized (monitor) {
      return rounds;
    }
  }

  /**
   * Returns once {@code ticket} is durable, leading a round if none is running; throws the failure
   * of the round that held it.
   */
  void awaitDurable(long ticket, Round round) {
    while (true) {
      synchronized (monitor) {
        while (true) {
          RuntimeException failed = failureOf(ticket);
          if (failed != null) {
            throw new StrataException("the commit holding this write failed: " + failed.getMessage(), failed);
          }
          if (durable >= ticket) {
            return;
          }
          if (!committing) {
            committing = true;
            break;
          }
          try {
            monitor.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while waiting for a commit; this write may or may not be durable", e);
          }
        }
      }
      lead(round);
    }
  }

  /** Commits everything buffered now, unless nothing is; throws if that commit fails. */
  void commitNow(Round round) {
    long ticket;
    synchronized (monitor) {
      if (issued == durable) {
        return; // nothing buffered since the last round (which answered its own callers)
      }
      ticket = issued;
    }
    awaitDurable(ticket, round);
  }

  private void lead(Round round) {
    buffering.writeLock().lock();
    long first;
    long last;
    try {
      synchronized (monitor) {
        first = durable + 1;
        last = issued;
      }
      if (last >= first) {
        try {
          round.commit();
        } catch (RuntimeException e) {
          synchronized (monitor) {
            failures.put(first, new Failed(last, e));
            while (failures.size() > 1024) {
              failures.pollFirstEntry(); // a waiter wakes within moments; old rounds are long answered
            }
            durable = last; // answered, though not durable: failureOf says so to their waiters
          }
          return;
        }
        synchronized (monitor) {
          durable = last;
          rounds++;
        }
      }
    } finally {
      buffering.writeLock().unlock();
      synchronized (monitor) {
        committing = false;
        monitor.notifyAll();
      }
    }
  }

  private RuntimeException failureOf(long ticket) {
    Map.Entry<Long, Failed> round = failures.floorEntry(ticket);
    return round != null && ticket <= round.getValue().lastTicket() ? round.getValue().cause() : null;
  }
}
