package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
  @Test
  void everyTextLandsInExactlyOneBatchWithinBudget() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      int[] lengths = random.ints(random.nextInt(300) + 1, 2, 257).toArray();
      int budget = 256 + random.nextInt(4096);
      int maxBatch = 1 + random.nextInt(64);
      List<int[]> batches = BatchPlanner.plan(lengths, budget, maxBatch);
      int[] seen = new int[lengths.length];
      for (int[] batch : batches) {
        assertThat(batch.length).isBetween(1, maxBatch);
        int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
        if (batch.length > 1) {
          assertThat((long) batch.length * longest).isLessThanOrEqualTo(budget);
        }
        for (int i : batch) {
          seen[i]++;
        }
      }
      assertThat(seen).containsOnly(1);
    }
  }

  @Test
  void sortingByLengthKeepsPaddingLow() {
    int[] lengths = {200, 10, 190, 12, 11, 195};
    List<int[]> batches = BatchPlanner.plan(lengths, 600, 8);
    assertThat(batches.get(0)).containsExactly(1, 4, 3); // the three short texts together
  }
}
