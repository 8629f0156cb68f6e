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

  @Test
  void everyFailureIsOneLineWithItsExitCode() throws Exception {
    Path input = dir.resolve("in2.jsonl");
    Files.write(input, List.of("{\"id\":\"b\",\"vector\":[0,1]}", "not json"));
    Path subdir = dir.resolve("a-dir");
    Files.createDirectories(subdir);
    expect(ExitCodes.USAGE, "is a directory", "ingest", index, "--input", subdir.toString());
    expect(ExitCodes.USAGE, "is not a regular file", "ingest", index, "--input", "/dev/null");
    Path fifo = dir.resolve("a-fifo");
    if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
      expect(ExitCodes.USAGE, "is not a regular file (a FIFO", "ingest", index, "--input", fifo.toString());
    }
    expect(ExitCodes.USAGE, "cannot write rejects file " + subdir + ": is a directory",
        "ingest", index, "--input", input.toString(), "--rejects", subdir.toString());
    assertThat(CliRun.of("stats", index, "--json").json().get("docs").asInt()).as("nothing went in").isEqualTo(1);

    assertThat(CliRun.of("snapshot", "tag", index, "2", "keep").exitCode()).isZero();
    Path tags = Path.of(index, "strata-tags.txt");
    Files.writeString(tags, Files.readString(tags).replace("keep", "kepp"));
    expect(ExitCodes.CORRUPT, "tag catalog", "snapshot", "list", index);
    expect(ExitCodes.CORRUPT, "fails its checksum", "ingest", index, "--input", input.toString());
    CliRun verify = CliRun.of("verify", index);
    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.CORRUPT);
    assertThat(verify.out()).contains("FAIL", "tags");
  }

  @Test
  void aDamagedStoredFieldsFileExitsFive() throws Exception {
    Path fdt;
    try (var files = Files.list(Path.of(index))) {
      fdt = files.filter(p -> p.toString().endsWith(".fdt") || p.toString().endsWith(".cfs")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(fdt);
    bytes[bytes.length / 2] ^= 0x08;
    Files.write(fdt, bytes);
    expect(ExitCodes.CORRUPT, fdt.getFileName().toString(), "search", index, "--vector", "[1,0]");
    expect(ExitCodes.CORRUPT, fdt.getFileName().toString(), "stats", index);
  }

  private static void expect(int exitCode, String message, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(exitCode);
    assertThat(run.err()).as(String.join(" ", args)).contains(message).doesNotContain("\tat dev.strata");
  }
}
