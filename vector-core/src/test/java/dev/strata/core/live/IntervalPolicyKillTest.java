package dev.strata.core.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.TestSeeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code CommitPolicy.every(interval)} promises a crash loses, checked by SIGKILL: every write
 * acknowledged before a commit was durable is in the index (writes wait while a commit runs, so a
 * commit holds every write acknowledged before it ended), and the oldest lost write was
 * acknowledged at most the interval plus one commit's duration before the kill (the interval
 * starts when a commit ends, and the next commit takes its own time). Seeded kill times.
 */
class IntervalPolicyKillTest {
  private static final long INTERVAL_MS = 200;
  /**
   * Room for what the child's clock cannot show: the commit in progress at the kill (not among the
   * measured ones) and a loaded CI machine's scheduling.
   */
  private static final long SLACK_MS = 1000;

  @TempDir Path dir;

  @Test
  void aKillLosesOnlyWritesAcknowledgedWithinTheIntervalPlusOneCommit() throws Exception {
    long seed = TestSeeds.seed("IntervalPolicyKillTest");
    Random random = new Random(seed);
    int kills = 3 * TestSeeds.multiplier();
    for (int kill = 0; kill < kills; kill++) {
      Path path = dir.resolve("idx-" + kill);
      VectorIndex.create(path, IndexSchema.builder(3, Similarity.EUCLIDEAN).build()).close();
      Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
          "jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          IntervalWriterChild.class.getName(), path.toString(), Long.toString(INTERVAL_MS), Long.toString(random.nextLong()))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Map<Long, Long> ackedAt = new HashMap<>();
      List<long[]> commits = new ArrayList<>(); // {highest acknowledged, ms}
      long lastLineMs = 0;
      int acksBeforeKill = 300 + random.nextInt(1500);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          String[] f = line.split(" ");
          long ms = Long.parseLong(f[2]);
          lastLineMs = Math.max(lastLineMs, ms);
          if (f[0].equals("ack")) {
            ackedAt.put(Long.parseLong(f[1]), ms);
            if (ackedAt.size() == acksBeforeKill) {
              child.toHandle().destroyForcibly(); // SIGKILL (its lines already in the pipe are still read)
            }
          } else {
            commits.add(new long[] {Long.parseLong(f[1]), ms});
          }
        }
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(commits).as("the child committed at least once").isNotEmpty();

      List<Long> lost = new ArrayList<>();
      try (VectorIndex index = VectorIndex.open(path, IndexOptions.builder().readOnly(true).build())) {
        for (long n : ackedAt.keySet()) {
          if (!index.contains("r" + n)) {
            lost.add(n);
          }
        }
      }
      long durableUpTo = commits.getLast()[0];
      assertThat(lost).as("writes acknowledged before the last durable commit, %s", TestSeeds.describe(seed))
          .allSatisfy(n -> assertThat(n).isGreaterThan(durableUpTo));
      long maxCommitMs = 0; // fixed delay: a commit ends the interval plus its own duration after the one before
      for (int i = 1; i < commits.size(); i++) {
        maxCommitMs = Math.max(maxCommitMs, commits.get(i)[1] - commits.get(i - 1)[1] - INTERVAL_MS);
      }
      long killMs = lastLineMs; // the child's clock at the kill: its last line (it prints every few ms until it dies)
      long oldestLostAge = lost.stream().mapToLong(n -> killMs - ackedAt.get(n)).max().orElse(0);
      System.out.printf("interval kill %d (after ack %d): %d acknowledged, %d lost, oldest lost %d ms before the kill, commits took"
          + " up to %d ms (bound %d ms + one commit)%n", kill, acksBeforeKill, ackedAt.size(), lost.size(), oldestLostAge, maxCommitMs,
          INTERVAL_MS);
      assertThat(oldestLostAge).as("kill %d, %s", kill, TestSeeds.describe(seed))
          .isLessThanOrEqualTo(INTERVAL_MS + Math.max(maxCommitMs, 0) + SLACK_MS);
    }
  }
}
