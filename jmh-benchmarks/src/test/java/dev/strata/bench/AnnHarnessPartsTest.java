package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ANN harness's file formats, ground truth and "best at equal recall" choice. */
class AnnHarnessPartsTest {
  @TempDir Path dir;

  @Test
  void fvecsAndIvecsRoundTripAndATruncatedFileIsAnError() throws IOException {
    float[][] vectors = {{1.5f, -2f, 0f}, {3f, 4f, 5f}};
    int[][] rows = {{7, 1}, {0, 42}};
    VectorFiles.writeFvecs(dir.resolve("v.fvecs"), vectors);
    VectorFiles.writeIvecs(dir.resolve("t.ivecs"), rows);
    assertThat(VectorFiles.readFvecs(dir.resolve("v.fvecs"))).isDeepEqualTo(vectors);
    assertThat(VectorFiles.readIvecs(dir.resolve("t.ivecs"))).isDeepEqualTo(rows);
    assertThat(Files.size(dir.resolve("v.fvecs"))).isEqualTo(2 * (4 + 3 * 4));

    byte[] bytes = Files.readAllBytes(dir.resolve("v.fvecs"));
    Files.write(dir.resolve("cut.fvecs"), java.util.Arrays.copyOf(bytes, bytes.length - 2));
    assertThatThrownBy(() -> VectorFiles.readFvecs(dir.resolve("cut.fvecs"))).isInstanceOf(IOException.class);
  }

  @Test
  void exactTopKRanksByInnerProduct() {
    float[][] base = {{1, 0}, {0, 1}, {0.8f, 0.6f}, {-1, 0}};
    int[][] truth = AnnHarness.exactTopK(base, new float[][] {{1, 0}});
    assertThat(truth[0]).startsWith(0, 2, 1, 3);
  }

  @Test
  void theBestSettingIsTheFastestThatReachesTheTarget() {
    AnnReport report = new AnnReport("d", 10, 2, 0.95);
    report.library(new AnnReport.Library("x", 1.0, 2, 1, -1));
    report.point(new AnnReport.Point("x", 10, 0.90, 9_000, 9_000, 9_000)); // fastest, below target
    report.point(new AnnReport.Point("x", 20, 0.96, 5_000, 5_000, 5_000));
    report.point(new AnnReport.Point("x", 40, 0.99, 3_000, 3_000, 3_000));
    assertThat(report.bestAtTarget("x")).get().extracting(AnnReport.Point::ef).isEqualTo(20);
    @SuppressWarnings("unchecked")
    Map<String, Object> lib = ((java.util.List<Map<String, Object>>) report.summary().get("libraries")).getFirst();
    assertThat(lib).containsEntry("setting", "ef=20").containsEntry("bestQpsAtTarget", 5_000.0)
        .containsEntry("threads", 1).containsEntry("buildThreads", 2);
    assertThat(AnnReport.json(report.summary())).startsWith("{\"dataset\": \"d\", \"n\": 10, \"dim\": 2");
    // Between 0.90 (9,000) and 0.96 (5,000), 5/6 of the way in recall, geometric in QPS.
    double expected = Math.exp(Math.log(9_000) + (0.05 / 0.06) * (Math.log(5_000) - Math.log(9_000)));
    assertThat(report.qpsAtTargetInterpolated("x").orElseThrow()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
    assertThat((Double) lib.get("qpsAtTargetInterpolated")).isBetween(5_000.0, 9_000.0);
  }

  @Test
  void aPassSharedByThreadsFindsWhatOneThreadFinds() throws IOException {
    float[][] base = {{1, 0}, {0, 1}, {0.8f, 0.6f}, {-1, 0}, {0.6f, 0.8f}};
    float[][] queries = new float[40][];
    for (int q = 0; q < queries.length; q++) {
      double a = q * 0.15;
      queries[q] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
    }
    int[][] truth = AnnHarness.exactTopK(base, queries);
    // A search that returns the true top two of each query: found = 2 of each query's top ten.
    AnnHarness.IdSearch topTwo = (query, ef) -> {
      int[] row = AnnHarness.exactTopK(base, new float[][] {query})[0];
      return java.util.List.of(row[0], row[1]);
    };
    int oneThread = AnnHarness.pass(topTwo, queries, truth, 10, 1);
    assertThat(oneThread).isEqualTo(2 * queries.length);
    assertThat(AnnHarness.pass(topTwo, queries, truth, 10, 3)).isEqualTo(oneThread);
  }

  @Test
  void ratiosArePairedRoundByRoundEachFromItsOwnCurve() {
    AnnReport report = new AnnReport("d", 10, 2, 0.95);
    report.library(new AnnReport.Library("anchor", 1.0, 1, 1, -1));
    report.library(new AnnReport.Library("x", 1.0, 1, 1, -1));
    report.reference("anchor");
    // Both reach the target exactly at ef 20 in every round, so each round's ratio is its QPS there.
    double[] anchorAt20 = {1_000, 2_000, 1_000};
    double[] xAt20 = {900, 2_400, 1_100}; // ratios 0.9, 1.2, 1.1: a slow second round of the anchor's
    report.point(new AnnReport.Point("anchor", 10, 0.90, 3_000, 3_000, 3_000, new double[] {3_000, 3_000, 3_000}));
    report.point(new AnnReport.Point("anchor", 20, 0.95, 1_000, 1_000, 2_000, anchorAt20));
    report.point(new AnnReport.Point("x", 10, 0.90, 3_000, 3_000, 3_000, new double[] {3_000, 3_000, 3_000}));
    report.point(new AnnReport.Point("x", 20, 0.95, 1_100, 900, 2_400, xAt20));
    AnnReport.RoundRatios ratios = report.roundRatios("x").orElseThrow();
    assertThat(ratios.median()).isCloseTo(1.1, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ratios.min()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ratios.max()).isCloseTo(1.2, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ratios.rounds()).isEqualTo(3);
    assertThat(report.roundRatios("anchor")).as("not paired with itself").isEmpty();
    assertThat(AnnReport.json(report.summary())).contains("\"ratioPerRound\": {\"reference\": \"anchor\", \"median\": 1.1000");
    assertThat(report.markdown()).contains("x / anchor at recall 0.95, paired round by round: median 1.100 (0.900-1.200), 3 rounds");
  }

  @Test
  void interpolationNeverExtrapolates() {
    AnnReport report = new AnnReport("d", 10, 2, 0.95);
    report.point(new AnnReport.Point("low", 10, 0.80, 9_000, 9_000, 9_000));
    report.point(new AnnReport.Point("low", 20, 0.94, 5_000, 5_000, 5_000));
    report.point(new AnnReport.Point("high", 10, 0.97, 8_000, 8_000, 8_000));
    report.point(new AnnReport.Point("high", 20, 0.99, 4_000, 4_000, 4_000));
    assertThat(report.qpsAtTargetInterpolated("low")).isEmpty(); // never reaches 0.95
    assertThat(report.qpsAtTargetInterpolated("high")).contains(8_000.0); // already above at its lowest effort
    assertThat(report.qpsAtTargetInterpolated("absent")).isEmpty();
  }
}
