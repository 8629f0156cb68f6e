package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators tagging one index from several processes at once lose no tag (a lost tag is a snapshot left to retention). */
class ConcurrentTaggingTest {
  private static final int PROCESSES = 4;
  private static final int TAGS_EACH = 25;

  @TempDir Path dir;

  @Test
  void tagsWrittenByRacingProcessesAreAllKept() throws Exception {
    Path index = dir.resolve("idx");
    VectorIndex.create(index, IndexSchema.builder(2, Similarity.EUCLIDEAN).build()).close();
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      children.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "--add-modules", "jdk.incubator.vector", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          TaggingChild.class.getName(), index.toString(), "p" + p, Integer.toString(TAGS_EACH))
          .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + p + ".log").toFile()).start());
    }
    for (Process child : children) {
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("child exit; its log is in " + dir).isZero();
    }
    try (VectorIndex reopened = VectorIndex.open(index)) {
      assertThat(reopened.history().list().getFirst().tags()).hasSize(PROCESSES * TAGS_EACH);
    }
  }
}
