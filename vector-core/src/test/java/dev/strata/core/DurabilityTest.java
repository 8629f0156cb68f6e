package dev.strata.core;

import dev.strata.core.index.VectorIndex;
import static org.assertj.core.api.Assertions.assertThat;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  private static final int DIM = 8;

  @TempDir Path dir;

  static float[] vector(int i) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) Math.sin(i * 31 + d);
    }
    return v;
  }

  static List<Record> records(int from, int to, String text) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new Record("id-" + i, vector(i), text + i, Map.of("n", i)));
    }
    return records;
  }

  @Test
  void committedRecordsSurviveCloseAndReopenExactly() {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      index.upsertAll(records(0, 50, "t"));
      index.commit("fifty");
    }
    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.stats().docs()).isEqualTo(50);
      assertThat(index.latestSnapshot().message()).isEqualTo("fifty");
      Record r = index.get("id-17").orElseThrow();
      assertThat(r.vector()).containsExactly(vector(17));
      assertThat(r.text()).isEqualTo("t17");
      assertThat(r.metadata()).containsEntry("n", 17.0);
    }
  }

  @Test
  void uncommittedWritesAreDiscardedOnCloseAndInvisibleBefore() {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build())) {
      index.upsertAll(records(0, 10, "t"));
      index.commit("ten");
      index.upsertAll(records(10, 20, "t"));
      index.delete("id-3");
      // Searches read the last commit, not the buffer.
      assertThat(index.stats().docs()).isEqualTo(10);
      assertThat(index.contains("id-15")).isFalse();
      assertThat(index.contains("id-3")).isTrue();
    }
    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.stats().docs()).isEqualTo(10);
      assertThat(index.contains("id-15")).isFalse();
      assertThat(index.contains("id-3")).isTrue();
    }
  }

  /**
   * A real process commits, buffers more writes and dies without closing anything (halt skips
   * shutdown hooks and finalisation, like a kill). The index must hold exactly the commit.
   */
  @Test
  void aWriterProcessThatDiesKeepsExactlyWhatItCommitted() throws Exception {
    Path path = dir.resolve("idx");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                path.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(child.exitValue())
        .as("child exit code; log in %s", dir.resolve("child.log"))
        .isEqualTo(CrashingWriter.HALT_CODE);

    try (VectorIndex index = VectorIndex.open(path)) {
      assertThat(index.stats().docs()).isEqualTo(100);
      assertThat(index.latestSnapshot().message()).isEqualTo("committed");
      assertThat(index.contains("id-99")).isTrue();
      assertThat(index.contains("id-100")).isFalse();
      assertThat(index.get("id-5").orElseThrow().text()).isEqualTo("before5");
      // The index is writable again: the dead process's lock does not block a new writer.
      index.upsert(Record.of("after", vector(1)));
      assertThat(index.commit("after crash").liveCount()).isEqualTo(101);
    }
  }

  /** Entry point of the child process for the crash test. */
  public static final class CrashingWriter {
    static final int HALT_CODE = 42;

    public static void main(String[] args) {
      VectorIndex index =
          VectorIndex.create(Path.of(args[0]), IndexSchema.builder(DIM, Similarity.COSINE).build());
      index.upsertAll(records(0, 100, "before"));
      index.commit("committed");
      index.upsertAll(records(100, 150, "lost"));
      index.upsertAll(records(0, 10, "overwritten-but-lost"));
      index.delete("id-50");
      Runtime.getRuntime().halt(HALT_CODE);
    }
  }

}
