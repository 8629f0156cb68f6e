package dev.strata.embedder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a batch of tokenized texts into sub-batches that waste little on padding: texts are sorted
 * by length, then taken in order while (texts x longest) stays within the token budget. A text
 * longer than the budget alone still gets a sub-batch of its own.
 */
final class BatchPlanner {
  private BatchPlanner() {}

  /** Each sub-batch lists indexes into {@code lengths}, shortest text first. */
  static List<int[]> plan(int[] lengths, int tokenBudget, int maxBatchSize) {
    Integer[] order = new Integer[lengths.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      // Sorted ascending, so the candidate is the longest text of the batch so far.
      while (end < order.length
          && end - start < maxBatchSize
          && (long) (end - start + 1) * lengths[order[end]] <= tokenBudget) {
        end++;
      }
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
      start = end;
    }
    return batches;
  }
}
