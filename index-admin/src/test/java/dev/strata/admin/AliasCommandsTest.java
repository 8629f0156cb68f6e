package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasCommandsTest {
  @TempDir Path dir;

  private String make(String name, int dim, int records) throws Exception {
    String index = dir.resolve(name).toString();
    CliRun init = CliRun.of("init", index, "--dim", Integer.toString(dim), "--similarity", "cosine");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      StringBuilder v = new StringBuilder();
      for (int d = 0; d < dim; d++) {
        v.append(d == 0 ? "" : ",").append((i * 31 + d * 7) % 11 + 1);
      }
      lines.add("{\"id\":\"r" + i + "\",\"vector\":[" + v + "],\"text\":\"passage " + i + "\",\"metadata\":{\"n\":" + i + "}}");
    }
    Path file = dir.resolve(name + ".jsonl");
    Files.write(file, lines);
    CliRun ingest = CliRun.of("ingest", index, "--input", file.toString());
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    return index;
  }

  @Test
  void setShowAndRefuseAnIncompatibleRepoint() throws Exception {
    String blue = make("blue", 4, 20);
    String wide = make("wide", 8, 5);
    String alias = dir.resolve("products.alias").toString();

    CliRun set = CliRun.of("alias", "set", alias, blue, "--snapshot", "2", "--json");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    CliRun show = CliRun.of("alias", "show", alias, "--json");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    JsonNode json = show.json();
    assertThat(json.get("index").asText()).isEqualTo(Path.of(blue).toAbsolutePath().normalize().toString());
    assertThat(json.get("snapshot").asLong()).isEqualTo(2);
    assertThat(json.get("dimension").asInt()).isEqualTo(4);
    assertThat(json.get("similarity").asText()).isEqualTo("cosine");
    assertThat(json.get("generation").asLong()).isEqualTo(1);

    CliRun refused = CliRun.of("alias", "set", alias, wide);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.INDEX);
    assertThat(refused.err()).contains("dimension: expected 4, actual 8");
    assertThat(CliRun.of("alias", "show", alias, "--json").json().get("index").asText()).endsWith("blue");

    CliRun forced = CliRun.of("alias", "set", alias, wide, "--force");
    assertThat(forced.exitCode()).as(forced.toString()).isZero();
    assertThat(CliRun.of("alias", "show", alias).out()).contains("wide", "snapshot latest", "generation 2");

    CliRun missing = CliRun.of("alias", "show", dir.resolve("nope.alias").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.INDEX);
    CliRun noSnapshot = CliRun.of("alias", "set", alias, blue, "--snapshot", "77");
    assertThat(noSnapshot.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noSnapshot.err()).contains("keeps no snapshot 77");
  }

  @Test
  void rebuildVerifiesAgainstTheSourceThenRepointsTheAlias() throws Exception {
    String blue = make("blue", 4, 1500);
    String alias = dir.resolve("svc.alias").toString();
    assertThat(CliRun.of("alias", "set", alias, blue).exitCode()).isZero();
    String green = dir.resolve("green").toString();

    CliRun rebuild = CliRun.of("rebuild", blue, "--out", green, "--encoding", "int8", "--hnsw-m", "8", "--alias", alias, "--json");
    assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
    JsonNode report = rebuild.json();
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("snapshot").get("liveCount").asLong()).isEqualTo(1500);
    assertThat(report.get("alias").get("index").asText()).endsWith("green");
    assertThat(report.get("alias").get("snapshot").asText()).isEqualTo("latest");
    assertThat(rebuild.err()).contains("1500/1500", "100%");

    CliRun blueStats = CliRun.of("stats", blue, "--json");
    CliRun greenStats = CliRun.of("stats", green, "--json");
    assertThat(greenStats.json().get("snapshot").get("recordDigest"))
        .isEqualTo(blueStats.json().get("snapshot").get("recordDigest"));
    assertThat(greenStats.json().get("encoding").asText()).isEqualTo("int8");

    CliRun again = CliRun.of("rebuild", blue, "--out", green);
    assertThat(again.exitCode()).as("never overwrites: " + again).isEqualTo(ExitCodes.INDEX);
    assertThat(CliRun.of("rebuild", blue, "--out", dir.resolve("x").toString(), "--encoding", "int3").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void rebuildOnTheAliasSourceCatchesUpWithAWriterAndMovesIt() throws Exception {
    String blue = make("blue", 4, 20_000);
    String alias = dir.resolve("live.alias").toString();
    assertThat(CliRun.of("alias", "set", alias, blue).exitCode()).isZero();
    String green = dir.resolve("green").toString();
    List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
    CliRun rebuild;
    try (dev.strata.core.live.LiveIndex live = dev.strata.core.live.LiveIndex.openAlias(Path.of(alias),
        dev.strata.core.IndexOptions.DEFAULTS, dev.strata.core.live.CommitPolicy.everyCall())) {
      Thread writer = Thread.ofPlatform().start(() -> {
        try {
          for (int i = 0; !stop.get(); i++) {
            String id = "live-" + i;
            live.upsertAll(List.of(dev.strata.core.Record.of(id, new float[] {1, 2, 3, i % 5 + 1}, "written live")),
                dev.strata.core.VectorSource.UNSTATED);
            acknowledged.add(id);
            Thread.sleep(3);
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      rebuild = CliRun.of("rebuild", blue, "--out", green, "--encoding", "int8", "--alias", alias, "--catch-up-until", "5",
          "--json");
      Thread.sleep(200); // the writer goes on, now in green
      stop.set(true);
      writer.join();
      assertThat(failed.get()).as("the writer never failed").isNull();
      assertThat(live.moves()).isEqualTo(1);
    }
    assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
    JsonNode report = rebuild.json();
    assertThat(report.get("bulkRecords").asLong()).isGreaterThanOrEqualTo(20_000);
    assertThat(report.get("catchUpRounds").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(report.get("recordsCaughtUp").asLong()).isPositive();
    assertThat(report.get("fenceSeconds").asDouble()).isBetween(0.0, 30.0);
    assertThat(report.get("alias").get("index").asText()).endsWith("green");
    CliRun search = CliRun.of("stats", green, "--json");
    assertThat(search.json().get("snapshot").get("liveCount").asLong()).isEqualTo(20_000 + acknowledged.size());
    try (dev.strata.core.index.VectorIndex target = dev.strata.core.index.VectorIndex.open(Path.of(green))) {
      assertThat(acknowledged).allSatisfy(id -> assertThat(target.contains(id)).as(id).isTrue());
    }
    // An ingest into the old index would be invisible to the alias's readers: refused, exit 3.
    Path late = dir.resolve("late.jsonl");
    Files.write(late, List.of("{\"id\":\"late\",\"vector\":[1,2,3,4]}"));
    CliRun stale = CliRun.of("ingest", blue, "--input", late.toString());
    assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(ExitCodes.INDEX);
    assertThat(stale.err()).contains("was migrated to", "green", "alias set");
  }
}
