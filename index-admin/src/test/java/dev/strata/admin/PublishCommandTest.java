package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.opensearch.OpenSearchNodeExtension;
import dev.strata.opensearch.OpenSearchTestNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code index-admin publish} against a real OpenSearch node: the contract operators script against. */
@ExtendWith(OpenSearchNodeExtension.class)
class PublishCommandTest {
  @TempDir Path dir;

  @Test
  void publishMovesTheAliasAndVerifyOnlyComparesWithTheSnapshot(OpenSearchTestNode node) throws Exception {
    String url = node.uri().toString();
    String index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "4", "--similarity", "cosine").exitCode()).isZero();
    ingest(index, 0, 300);

    CliRun first = CliRun.of("publish", index, "--opensearch", url, "--index", "cli-{snapshot}", "--alias", "cli",
        "--replicas", "0", "--batch-size", "128", "--json");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    JsonNode report = first.json();
    assertThat(report.get("index").asText()).isEqualTo("cli-2");
    assertThat(report.get("alias").asText()).isEqualTo("cli");
    assertThat(report.get("previousIndices")).isEmpty();
    assertThat(report.get("snapshot").asLong()).isEqualTo(2);
    assertThat(report.get("records").asLong()).isEqualTo(300);
    assertThat(report.get("requests").asInt()).isEqualTo(3);
    assertThat(report.get("retries").asInt()).isZero();
    assertThat(report.get("recordsPerSecond").asDouble()).isPositive();

    CliRun verify = CliRun.of("publish", index, "--opensearch", url, "--alias", "cli", "--verify-only", "--sample", "50", "--json");
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.json().get("sound").asBoolean()).isTrue();
    assertThat(verify.json().get("index").asText()).isEqualTo("cli-2");
    assertThat(verify.json().get("checks").findValuesAsText("name")).containsExactly("manifest", "count", "sample");

    ingest(index, 300, 400);
    CliRun second = CliRun.of("publish", index, "--opensearch", url, "--index", "cli-{snapshot}", "--alias", "cli", "--replicas", "0");
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains("published snapshot 3 as cli-3: 400 records", "alias cli -> cli-3 (was cli-2)");

    CliRun stale = CliRun.of("publish", index, "--opensearch", url, "--index", "cli-2", "--verify-only");
    assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(stale.out()).contains("DIFFERENT", "snapshotId is 2 in OpenSearch but 3 here", "300 documents");

    CliRun again = CliRun.of("publish", index, "--opensearch", url, "--index", "cli-{snapshot}", "--alias", "cli");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.REMOTE);
    assertThat(again.err()).contains("'cli-3' already exists");
  }

  @Test
  void anUnreachableClusterFailsAfterTheRetryLimitAndBadArgumentsAreUsageErrors() throws Exception {
    String index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "4", "--similarity", "cosine").exitCode()).isZero();
    ingest(index, 0, 10);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliRun unreachable = CliRun.of("publish", index, "--opensearch", "http://127.0.0.1:" + closedPort, "--index", "x",
        "--alias", "y", "--max-attempts", "2");
    assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(ExitCodes.REMOTE);
    assertThat(unreachable.err()).contains("failed 2 times, giving up (retry limit 2)", "no answer from the cluster");

    CliRun noIndex = CliRun.of("publish", index, "--opensearch", "http://127.0.0.1:9200");
    assertThat(noIndex.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noIndex.err()).contains("--index NAME");
    CliRun badUrl = CliRun.of("publish", index, "--opensearch", "ftp://example.org", "--index", "x");
    assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badUrl.err()).contains("must start with http:// or https://");
    CliRun badReplicas = CliRun.of("publish", index, "--opensearch", "http://127.0.0.1:9200", "--index", "x", "--replicas", "-1");
    assertThat(badReplicas.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badReplicas.err()).contains("replicas must be 0 to 32");
  }

  private void ingest(String index, int from, int to) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lines.add("{\"id\":\"r" + i + "\",\"vector\":[" + (i + 1) + "," + (i % 7) + ",1," + (i % 3) + "],\"text\":\"record " + i
          + "\",\"metadata\":{\"shard\":\"s" + (i % 4) + "\",\"n\":" + i + "}}");
    }
    Path file = dir.resolve("in-" + from + ".jsonl");
    Files.write(file, lines);
    CliRun ingest = CliRun.of("ingest", index, "--input", file.toString());
    assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
  }
}
