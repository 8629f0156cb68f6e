package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code golden capture|check}, the gate on {@code alias set}, and {@code monitor}, run as an operator would. */
class GoldenAndMonitorCommandsTest {
  private static final int DIM = 16;
  private static final int DOCS = 1_000;
  private static final int CLUSTERS = 10;
  private static float[][] centroids;

  @TempDir Path dir;

  @BeforeAll
  static void centroids() {
    Random random = new Random(99);
    centroids = new float[CLUSTERS][DIM];
    for (float[] c : centroids) {
      for (int d = 0; d < DIM; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
  }

  @Test
  void captureCheckAndTheGateOnAliasSet() throws Exception {
    String trusted = index("trusted", i -> true);
    Path queries = queryFile("q.jsonl", 30, 0);

    CliRun capture = CliRun.of("golden", "capture", trusted, "--queries", queries.toString(), "--json");
    assertThat(capture.exitCode()).as(capture.toString()).isZero();
    assertThat(capture.json().get("queries").asInt()).isEqualTo(30);
    assertThat(capture.json().get("k").asInt()).isEqualTo(10);

    CliRun self = CliRun.of("golden", "check", trusted, "--json");
    assertThat(self.exitCode()).as(self.toString()).isZero();
    assertThat(self.json().get("passed").asBoolean()).isTrue();
    assertThat(self.json().get("recall").asDouble()).isEqualTo(1.0);
    assertThat(self.json().get("problems")).isEmpty();

    String half = index("half", i -> i % 2 == 0);
    CliRun regressed = CliRun.of("golden", "check", half, "--golden-from", trusted, "--json");
    assertThat(regressed.exitCode()).as(regressed.toString()).isEqualTo(ExitCodes.REGRESSION);
    JsonNode report = regressed.json();
    assertThat(report.get("passed").asBoolean()).isFalse();
    assertThat(report.get("recall").asDouble()).isLessThan(0.9);
    assertThat(report.get("problems").get(0).asText()).contains("below the minimum 0.9000");
    assertThat(report.get("worst")).isNotEmpty();
    CliRun table = CliRun.of("golden", "check", half, "--golden-from", trusted);
    assertThat(table.out()).startsWith("REGRESSION: snapshot").contains("problem: recall@10");

    String alias = dir.resolve("live.alias").toString();
    assertThat(CliRun.of("alias", "set", alias, trusted).exitCode()).isZero();
    CliRun blocked = CliRun.of("alias", "set", alias, half);
    assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(ExitCodes.REGRESSION);
    assertThat(blocked.err()).contains("blocked").contains("golden query set");
    assertThat(CliRun.of("alias", "show", alias, "--json").json().get("index").asText()).endsWith("trusted");
    assertThat(CliRun.of("alias", "set", alias, half, "--force").exitCode()).isZero();

    CliRun none = CliRun.of("golden", "check", half);
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("has no golden query set");
  }

  @Test
  void monitorReportsStatisticsRecallAndDrift() throws Exception {
    String trusted = index("trusted", i -> true);
    CliRun normal = CliRun.of("monitor", trusted, "--queries", queryFile("normal.jsonl", 200, 0).toString(), "--json");
    assertThat(normal.exitCode()).as(normal.toString()).isZero();
    JsonNode json = normal.json();
    assertThat(json.get("state").asText()).isEqualTo("normal");
    assertThat(json.get("observations").asInt()).isEqualTo(200);
    assertThat(json.get("baselineWindow").asInt()).isEqualTo(100);
    assertThat(json.get("recentWindow").asInt()).isEqualTo(50);
    assertThat(json.get("events")).isEmpty();
    assertThat(json.get("statistics").get("top1_score").get("sigmas").asDouble()).isLessThan(2);
    assertThat(json.get("recall").get("samples").asInt()).isEqualTo(200);
    assertThat(json.get("recall").get("estimate").asDouble()).isBetween(0.9, 1.0);

    CliRun drifting = CliRun.of("monitor", trusted, "--queries", queryFile("drift.jsonl", 150, 50).toString(), "--json");
    assertThat(drifting.exitCode()).as(drifting.toString()).isZero();
    assertThat(drifting.json().get("state").asText()).isEqualTo("drifted");
    assertThat(drifting.json().get("events").get(0).get("kind").asText()).isEqualTo("drifted");
    CliRun table = CliRun.of("monitor", trusted, "--queries", dir.resolve("drift.jsonl").toString());
    assertThat(table.out()).contains("state drifted", "top1_score", "event: DRIFTED", "recall@10 estimate");
  }

  @Test
  void aBadQueryLineIsRefusedWithItsLineNumber() throws Exception {
    String trusted = index("trusted", i -> true);
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\":\"a\",\"vector\":[1,2]}\n\n{\"id\":\"b\"}\n");
    CliRun run = CliRun.of("golden", "capture", trusted, "--queries", bad.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(bad + " line 3: query 'b' has neither \"text\" nor \"vector\"");
  }

  /** An index of {@link #DOCS} clustered vectors, keeping those {@code keep} accepts. */
  private String index(String name, IntPredicate keep) throws Exception {
    String index = dir.resolve(name).toString();
    CliRun init = CliRun.of("init", index, "--dim", Integer.toString(DIM), "--similarity", "cosine");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    Random random = new Random(5);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < DOCS; i++) {
      float[] v = near(random);
      if (keep.test(i)) {
        lines.add("{\"id\":\"r" + i + "\",\"vector\":" + json(v) + "}");
      }
    }
    Path file = dir.resolve(name + ".jsonl");
    Files.write(file, lines);
    CliRun ingest = CliRun.of("ingest", index, "--input", file.toString());
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    return index;
  }

  /** {@code normal} queries drawn like the corpus, then {@code random} random vectors. */
  private Path queryFile(String name, int normal, int randomCount) throws Exception {
    Random random = new Random(name.hashCode());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < normal + randomCount; i++) {
      float[] v = i < normal ? near(random) : gaussian(random);
      lines.add("{\"id\":\"q" + i + "\",\"vector\":" + json(v) + "}");
    }
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  private static float[] near(Random random) {
    float[] c = centroids[random.nextInt(CLUSTERS)];
    float[] v = gaussian(random);
    for (int d = 0; d < DIM; d++) {
      v[d] = c[d] + 0.3f * v[d];
    }
    return v;
  }

  private static float[] gaussian(Random random) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  private static String json(float[] v) {
    StringBuilder s = new StringBuilder("[");
    for (int d = 0; d < v.length; d++) {
      s.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", v[d]));
    }
    return s.append(']').toString();
  }
}
