package dev.strata.bench;

import dev.strata.core.Record;
import dev.strata.core.testing.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** What the plain harnesses share: {@code name=value} arguments, data, cleanup, round statistics. */
final class HarnessSupport {
  private HarnessSupport() {}

  /** Records {@code doc-<from>} to {@code doc-<from+count-1>}: clustered vectors drawn from {@code seed}. */
  static List<Record> records(int from, int count, int dim, long seed) {
    float[][] vectors = ClusteredVectors.generate(seed, count, dim, 50);
    List<Record> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Record.of("doc-" + (from + i), vectors[i]));
    }
    return out;
  }

  /** Removes a harness's scratch directory and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return fallback;
  }

  static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(arg(args, name, Integer.toString(fallback)));
  }

  /** This process's resident set now (VmRSS of /proc/self/status), or -1 where there is no such file. */
  static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1; // not Linux: the figure is left out of the report
    }
    return -1;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** Waits for the graph build a bulk load's commit started (an hour at most). */
  static void awaitGraphBuild(dev.strata.core.index.VectorIndex index) {
    try {
      if (!index.awaitGraphBuild(java.time.Duration.ofHours(1))) {
        throw new IllegalStateException("the graph build did not end within an hour");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the graph build", e);
    }
  }
}
