package dev.strata.core.monitor;

/**
 * The last {@code capacity} observations of several statistics, with their running sums so mean
 * and standard deviation cost O(1). Sums are recomputed from the stored rows once per
 * {@code capacity} evictions, so rounding error from adding and subtracting cannot build up over
 * a long run. Not thread-safe; {@link DriftDetector} guards it.
 */
final class RollingWindow {
  private final double[][] rows;
  private final double[] sum;
  private final double[] sumOfSquares;
  private int next;
  private int size;
  private int evictionsSinceRecompute;

  RollingWindow(int capacity, int statistics) {
    rows = new double[capacity][];
    sum = new double[statistics];
    sumOfSquares = new double[statistics];
  }

  /** Adds one observation; returns the one it pushed out, or {@code null} while not yet full. */
  double[] add(double[] values) {
    double[] evicted = rows[next];
    rows[next] = values;
    next = (next + 1) % rows.length;
    if (evicted == null) {
      size++;
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += values[i];
      sumOfSquares[i] += values[i] * values[i];
      if (evicted != null) {
        sum[i] -= evicted[i];
        sumOfSquares[i] -= evicted[i] * evicted[i];
      }
    }
    if (evicted != null && ++evictionsSinceRecompute >= rows.length) {
      recomputeSums();
    }
    return evicted;
  }

  boolean isFull() {
    return size == rows.length;
  }

  int size() {
    return size;
  }

  double mean(int statistic) {
    return size == 0 ? Double.NaN : sum[statistic] / size;
  }

  /** Sample standard deviation; 0 for fewer than two observations. */
  double standardDeviation(int statistic) {
    if (size < 2) {
      return 0;
    }
    double mean = mean(statistic);
    double variance = (sumOfSquares[statistic] - size * mean * mean) / (size - 1);
    return Math.sqrt(Math.max(0, variance));
  }

  void clear() {
    java.util.Arrays.fill(rows, null);
    java.util.Arrays.fill(sum, 0);
    java.util.Arrays.fill(sumOfSquares, 0);
    next = size = evictionsSinceRecompute = 0;
  }

  private void recomputeSums() {
    java.util.Arrays.fill(sum, 0);
    java.util.Arrays.fill(sumOfSquares, 0);
    for (double[] row : rows) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += row[i];
        sumOfSquares[i] += row[i] * row[i];
      }
    }
    evictionsSinceRecompute = 0;
  }
}
