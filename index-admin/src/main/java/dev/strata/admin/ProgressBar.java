package dev.strata.admin;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr (stdout stays for results): done/total, percent, rate. */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String verb;
  private final String pastVerb;
  private final String unit;
  private final long start = System.nanoTime();
  private long total;
  private long done;

  ProgressBar(PrintWriter err, String verb, String pastVerb, String unit, long total) {
    this.err = err;
    this.verb = verb;
    this.pastVerb = pastVerb;
    this.unit = unit;
    this.total = total;
  }

  void advance(long n) {
    update(done + n, total);
  }

  void update(long done, long total) {
    this.done = done;
    this.total = total;
    int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
    err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %3.0f%% %.0f %s/s",
        verb, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total,
        total == 0 ? 100.0 : 100.0 * done / total, rate(), unit);
    err.flush();
  }

  void done(String how) {
    err.printf(Locale.ROOT, "%n%s %d %s in %.1f s %s%n", pastVerb, done, unit, seconds(), how);
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private double rate() {
    return done / Math.max(seconds(), 1e-9);
  }
}
