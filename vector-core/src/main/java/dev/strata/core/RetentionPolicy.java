package dev.strata.core;

import java.time.Duration;

/**
 * Which snapshots an index keeps: always the newest, every tagged one, the last {@code keepLast},
 * and, if set, every one younger than {@code keepYoungerThan}. Everything else is deleted at the
 * next commit or writer open, and its files freed once no reader holds them.
 *
 * @param keepLast how many of the newest snapshots to keep, at least 1
 * @param keepYoungerThan also keep snapshots younger than this, or {@code null}
 */
public record RetentionPolicy(int keepLast, Duration keepYoungerThan) {
  public static final int DEFAULT_KEEP_LAST = 10;
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(DEFAULT_KEEP_LAST, null);

  public RetentionPolicy {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
    }
    if (keepYoungerThan != null && keepYoungerThan.isNegative()) {
      throw new IllegalArgumentException("keepYoungerThan must not be negative, got " + keepYoungerThan);
    }
  }

  /** Keeps the newest {@code n} snapshots. */
  public static RetentionPolicy keepLast(int n) {
    return new RetentionPolicy(n, null);
  }
}
