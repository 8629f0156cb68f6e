package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docs/cli-reference.md} is the CLI's own help, every command and subcommand, so the
 * reference cannot drift from the code. Run with {@code -Dstrata.regenerate=true} to rewrite it
 * after changing a command.
 */
class CliReferenceTest {
  private static final Path REFERENCE = Path.of("../docs/cli-reference.md");
  private static final int WIDTH = 100;

  @Test
  void theReferenceIsTheCliHelp() throws IOException {
    String generated = render();
    if (Boolean.getBoolean("strata.regenerate")) {
      Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(REFERENCE)).as(REFERENCE + " exists").isTrue();
    assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
        .as("docs/cli-reference.md is out of date: run bin/test -pl index-admin -Dtest=CliReferenceTest"
            + " -Dstrata.regenerate=true and commit the result")
        .isEqualTo(generated);
  }

  @Test
  void everyCommandIsInTheReference() {
    String generated = render();
    CommandLine root = IndexAdmin.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    assertThat(root.getSubcommands()).hasSizeGreaterThan(15);
    for (String name : root.getSubcommands().keySet()) {
      if (!name.equals("help")) {
        assertThat(generated).contains("## index-admin " + name + "\n");
      }
    }
  }

  /**
   * The first screen an operator reads: each command's line in {@code index-admin --help} is a
   * sentence that ends, on one line (the list shows the first line of a command's header, or of its
   * description when it has none).
   */
  @Test
  void everyCommandSummaryIsOneWholeLine() {
    CommandLine root = IndexAdmin.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    root.setUsageHelpWidth(WIDTH);
    for (var entry : root.getSubcommands().entrySet()) {
      var usage = entry.getValue().getCommandSpec().usageMessage();
      String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
      assertThat(summary).as(entry.getKey()).endsWith(".").hasSizeLessThanOrEqualTo(WIDTH - 12);
    }
    String help = root.getUsageMessage(CommandLine.Help.Ansi.OFF);
    String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
    assertThat(commands.lines().skip(1).filter(l -> !l.isBlank()))
        .as("no summary wraps onto a second line").allSatisfy(l -> assertThat(l).matches("  [a-z]+ +\\S.*"));
  }

  static String render() {
    CommandLine root = IndexAdmin.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    StringBuilder out = new StringBuilder();
    out.append("# index-admin reference\n\n")
        .append("Generated from the CLI's own `--help` by `CliReferenceTest`; edit the commands, not this file.\n")
        .append("The guide, with the JSON fields and what each command is for, is [CLI.md](CLI.md).\n");
    append(out, root);
    return out.toString();
  }

  private static void append(StringBuilder out, CommandLine command) {
    command.setUsageHelpWidth(WIDTH);
    command.setUsageHelpAutoWidth(false);
    out.append("\n## ").append(command.getCommandSpec().qualifiedName()).append("\n\n```\n")
        .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help")) {
        append(out, sub);
      }
    }
  }
}
