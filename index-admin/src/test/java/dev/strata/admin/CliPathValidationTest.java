package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths and names an operator (or a script with a bug) hands the CLI: each wrong one ends with an
 * exit code and a message naming it, never a stack trace, and changes nothing.
 */
class CliPathValidationTest {
  @TempDir Path dir;
  private String index;

  @BeforeEach
  void index() throws Exception {
    index = dir.resolve("idx").toString();
    assertThat(CliRun.of("init", index, "--dim", "2", "--similarity", "cosine").exitCode()).isZero();
    Path input = dir.resolve("in.jsonl");
    Files.write(input, List.of("{\"id\":\"a\",\"vector\":[1,0]}"));
    assertThat(CliRun.of("ingest", index, "--input", input.toString()).exitCode()).isZero();
  }

  @Test
  void badNamesAndPathsAreRefusedWithTheirName() throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not an index");
    Path subdir = dir.resolve("a-dir");
    Files.createDirectories(subdir);
    String missing = dir.resolve("no/such/dir/x").toString();

    expect(ExitCodes.USAGE, "tag '../escape' must match", "snapshot", "tag", index, "2", "../escape");
    expect(ExitCodes.USAGE, "must match", "snapshot", "tag", index, "2", "line\nbreak");
    expect(ExitCodes.USAGE, "is all digits", "snapshot", "tag", index, "2", "123");
    expect(ExitCodes.USAGE, "keeps no snapshot", "search", index, "--vector", "[1,0]", "--snapshot", "99");
    expect(ExitCodes.INDEX, "it is a file", "init", file.toString(), "--dim", "2", "--similarity", "cosine");
    expect(ExitCodes.INDEX, "not empty", "init", dir.toString(), "--dim", "2", "--similarity", "cosine");
    expect(ExitCodes.INDEX, file.toString(), "stats", file.toString());
    expect(ExitCodes.INDEX, subdir.toString(), "stats", subdir.toString());
    expect(ExitCodes.USAGE, "input file not found", "ingest", index, "--input", subdir.toString());
    expect(ExitCodes.USAGE, "no such directory", "ingest", index, "--input", dir.resolve("in.jsonl").toString(),
        "--rejects", missing);
    expect(ExitCodes.USAGE, "is a directory", "alias", "set", subdir.toString(), index);
    expect(ExitCodes.USAGE, "query file not found", "golden", "capture", index, "--queries", missing);
    expect(ExitCodes.USAGE, "archive not found", "import", missing, dir.resolve("restored").toString());
    expect(ExitCodes.USAGE, missing, "export", index, "--out", missing);
    assertThat(dir.resolve("restored")).doesNotExist();
    assertThat(CliRun.of("stats", index, "--json").json().get("docs").asInt()).as("the index is untouched").isEqualTo(1);
  }

  private static void expect(int exitCode, String message, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(exitCode);
    assertThat(run.err()).as(String.join(" ", args)).contains(message).doesNotContain("\tat dev.strata");
  }
}
