package dev.strata.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A native anchor kept running beside the harness (hnswlib_bench without efforts on its command
 * line): it builds its index when started, then measures one effort per request, so the harness
 * can put the anchor's rounds between its own. Measurements minutes apart on these machines
 * differed by up to 40%; measurements seconds apart are what a ratio needs.
 */
final class InterleavedAnchor implements AutoCloseable {
  private final String name;
  private final Process process;
  private final BufferedReader answers;
  private final PrintWriter requests;
  private final double buildSeconds;
  private final long indexBytes;
  private final long rssBytes;
  private String lastLine = "";

  private InterleavedAnchor(String name, Process process) throws IOException {
    this.name = name;
    this.process = process;
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Matcher built = expect(AnnHarness.BUILD);
    this.buildSeconds = Double.parseDouble(built.group(1));
    this.indexBytes = longField(lastLine, "indexBytes");
    this.rssBytes = longField(lastLine, "rssBytes");
  }

  /** Starts {@code command} with {@code environment} added and waits until it has built its index. */
  static InterleavedAnchor start(String name, List<String> command, java.util.Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      return new InterleavedAnchor(name, process);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  String name() {
    return name;
  }

  double buildSeconds() {
    return buildSeconds;
  }

  /** What the anchor says its index takes in memory, or -1 if it does not say. */
  long indexBytes() {
    return indexBytes;
  }

  /** The anchor's peak resident set after its build (index and its own copy of the input), or -1. */
  long rssBytes() {
    return rssBytes;
  }

  private static long longField(String line, String field) {
    Matcher m = Pattern.compile("\"" + field + "\": ([0-9]+)").matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** One warm-up pass and one timed pass at {@code ef} on {@code threads} threads: {recall@10, queries per second}. */
  double[] measure(int ef, int threads) throws IOException {
    requests.println(ef + " 1 " + threads);
    Matcher point = expect(AnnHarness.POINT);
    return new double[] {Double.parseDouble(point.group(2)), Double.parseDouble(point.group(3))};
  }

  private Matcher expect(Pattern pattern) throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new IOException(name + " ended without answering (exit " + waitForExit() + ")");
    }
    lastLine = line;
    Matcher matcher = pattern.matcher(line);
    if (!matcher.find()) {
      throw new IOException(name + " answered '" + line + "', expected " + pattern.pattern());
    }
    return matcher;
  }

  private String waitForExit() {
    try {
      return process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    requests.close(); // end of requests: the anchor exits
    String exit = waitForExit();
    if (!exit.equals("0")) {
      process.destroyForcibly();
      throw new IOException(name + " did not exit cleanly: " + exit);
    }
  }
}
