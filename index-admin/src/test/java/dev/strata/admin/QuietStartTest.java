package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's terminal gets the answer and real warnings, not the libraries' start-up notes:
 * the real CLI entry point in its own JVM, as an operator runs it, with and without --verbose.
 */
class QuietStartTest {
  @TempDir Path dir;

  @Test
  void informationalLogLinesShowOnlyWithVerbose() throws Exception {
    Path index = dir.resolve("idx");
    try (VectorIndex created = VectorIndex.create(index, IndexSchema.builder(4, Similarity.COSINE).build())) {
      created.upsert(Record.of("a", new float[] {1, 0, 0, 0}));
      created.commit("one");
    }
    String quiet = stderrOf("search", index.toString(), "--vector", "[1,0,0,0]");
    String verbose = stderrOf("search", index.toString(), "--vector", "[1,0,0,0]", "--verbose");
    assertThat(quiet).doesNotContain("INFO");
    assertThat(verbose).as("the same run, --verbose").contains("INFO");
  }

  private String stderrOf(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), IndexAdmin.class.getName()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process process = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    assertThat(process.exitValue()).as("exit code; stderr: " + Files.readString(err)).isZero();
    return Files.readString(err, StandardCharsets.UTF_8);
  }
}
