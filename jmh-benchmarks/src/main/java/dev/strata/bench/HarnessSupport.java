package dev.strata.bench;

import java.util.Arrays;

/** What the plain harnesses share: {@code name=value} arguments and round statistics. */
final class HarnessSupport {
  private HarnessSupport() {}

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
}
