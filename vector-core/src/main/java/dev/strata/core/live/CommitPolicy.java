package dev.strata.core.live;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a {@link LiveIndex} commits the writes it is given, and so what a caller may assume once a
 * write call returns. A commit costs a round of fsyncs (milliseconds on a fast disk, hundreds on a
 * slow one) and leaves a snapshot; choose how many writes share one.
 *
 * <ul>
 *   <li>{@link #everyCall()}: a write call returns once its writes are committed: durable and
 *       searchable. A crash loses nothing that returned. Calls made at the same time share one
 *       commit (group commit), so N threads writing together pay one round of fsyncs, not N.
 *   <li>{@link #every(Duration)}: a write call returns once its writes are buffered; a background
 *       commit makes them durable and searchable within the interval plus the commit's own time.
 *       A crash loses at most the writes acknowledged in the last interval plus one commit's
 *       duration: the interval restarts when a commit ends, writes wait while a commit runs, and
 *       the next commit takes its own time (milliseconds on an idle disk, hundreds under load;
 *       {@code IntervalPolicyKillTest} checks the bound under SIGKILL). A failed background commit is
 *       logged and thrown by the next write call or {@link LiveIndex#flush()}.
 *   <li>{@link #everyRecords(int)}: a write call returns at once until N records (upserts and
 *       deletes by id) are buffered; the call that reaches N commits them all before it returns.
 *       A crash loses at most N - 1 records.
 *   <li>{@link #explicit()}: nothing is committed until {@link LiveIndex#flush()}: a crash loses
 *       everything since the last flush. For bulk loads that commit once at the end.
 * </ul>
 *
 * <p>Whatever the policy, {@link LiveIndex#flush()} commits at once, and closing a {@link
 * LiveIndex} commits what is buffered (except under {@link #explicit()}, where close discards
 * unflushed writes with a warning, as {@link dev.strata.core.index.VectorIndex#close()} does).
 */
public final class CommitPolicy {
  enum Kind { EVERY_CALL, INTERVAL, RECORDS, EXPLICIT }

  private static final CommitPolicy EVERY_CALL = new CommitPolicy(Kind.EVERY_CALL, null, 0);
  private static final CommitPolicy EXPLICIT = new CommitPolicy(Kind.EXPLICIT, null, 0);

  private final Kind kind;
  private final Duration interval;
  private final int records;

  private CommitPolicy(Kind kind, Duration interval, int records) {
    this.kind = kind;
    this.interval = interval;
    this.records = records;
  }

  /** Each write call returns durable; concurrent calls share one commit. */
  public static CommitPolicy everyCall() {
    return EVERY_CALL;
  }

  /** A background commit every {@code interval} (at least 1 ms) while writes are buffered. */
  public static CommitPolicy every(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("commit interval must be at least 1 ms, got " + interval);
    }
    return new CommitPolicy(Kind.INTERVAL, interval, 0);
  }

  /** The write call that brings the buffered records to {@code records} (at least 1) commits them. */
  public static CommitPolicy everyRecords(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("records per commit must be at least 1, got " + records);
    }
    return new CommitPolicy(Kind.RECORDS, null, records);
  }

  /** Commits only on {@link LiveIndex#flush()}. */
  public static CommitPolicy explicit() {
    return EXPLICIT;
  }

  /**
   * Parses what {@link #toString()} writes: {@code every-call}, {@code explicit}, {@code
   * interval:<duration>} (e.g. {@code interval:1s}, {@code interval:250ms}, {@code interval:PT2S})
   * or {@code records:<n>}; for properties files and command lines.
   */
  public static CommitPolicy parse(String text) {
    String t = Objects.requireNonNull(text, "commit policy").strip().toLowerCase(Locale.ROOT);
    if (t.equals("every-call")) {
      return everyCall();
    }
    if (t.equals("explicit")) {
      return explicit();
    }
    try {
      if (t.startsWith("interval:")) {
        return every(parseDuration(t.substring("interval:".length())));
      }
      if (t.startsWith("records:")) {
        return everyRecords(Integer.parseInt(t.substring("records:".length())));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid commit policy '" + text + "': " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("invalid commit policy '" + text
        + "': expected every-call, explicit, interval:<duration> (e.g. interval:1s) or records:<n>");
  }

  private static Duration parseDuration(String text) {
    if (text.startsWith("pt")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    if (text.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
    }
    if (text.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    throw new IllegalArgumentException("a duration needs a unit (ms, s, m): '" + text + "'");
  }

  Kind kind() {
    return kind;
  }

  /** The interval of {@link #every(Duration)}; null for other policies. */
  public Duration interval() {
    return interval;
  }

  /** The records per commit of {@link #everyRecords(int)}; 0 for other policies. */
  public int records() {
    return records;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommitPolicy p && p.kind == kind && Objects.equals(p.interval, interval) && p.records == records;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, interval, records);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EVERY_CALL -> "every-call";
      case EXPLICIT -> "explicit";
      case INTERVAL -> "interval:" + interval.toMillis() + "ms";
      case RECORDS -> "records:" + records;
    };
  }
}
