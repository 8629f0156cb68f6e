package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads marked regions of example sources, so tests can check the README shows them verbatim. */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static String readme() throws IOException {
    return Files.readString(Path.of("../README.md"));
  }

  /** The lines between {@code // --8<-- [start:NAME]} and {@code [end:NAME]}, four spaces dedented. */
  static String region(Path source, String name) throws IOException {
    String text = Files.readString(source);
    Matcher m =
        Pattern.compile("// --8<-- \\[start:" + name + "]\\n(.*?)\\n\\s*// --8<-- \\[end:" + name + "]", Pattern.DOTALL)
            .matcher(text);
    assertThat(m.find()).as("snippet markers '%s' in %s", name, source).isTrue();
    return m.group(1).lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip()).reduce((a, b) -> a + "\n" + b).orElseThrow();
  }
}
