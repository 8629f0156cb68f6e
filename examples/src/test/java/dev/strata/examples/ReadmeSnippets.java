package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads marked regions of example sources, so tests can check the documentation (the README, the
 * pages under docs/ and the integrations' READMEs) shows them verbatim.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /** Every page a snippet may be quoted in, one after the other. */
  static String readme() throws IOException {
    StringBuilder all = new StringBuilder(Files.readString(Path.of("../README.md")));
    for (Path page : List.of(Path.of("../docs"), Path.of("../integrations"))) {
      try (Stream<Path> files = Files.walk(page, 2)) {
        for (Path md : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
          all.append('\n').append(Files.readString(md));
        }
      }
    }
    return all.toString();
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
