package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency snippets a user copies from the READMEs name the version this build makes: a
 * README that says one version while the poms say another sends a new user to a version that does
 * not exist, or to an old one.
 */
class DocumentedVersionTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern STRATA_DEPENDENCY =
      Pattern.compile("<groupId>dev\\.strata</groupId>\\s*<artifactId>[^<]+</artifactId>\\s*(?:<!--.*?-->\\s*)?<version>([^<]+)</version>");

  @Test
  void everyReadmeSnippetNamesTheProjectsVersion() throws Exception {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher version = Pattern.compile("<artifactId>strata-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(version.find()).as("the parent pom's version").isTrue();
    List<Path> readmes = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> integrations = Files.list(ROOT.resolve("integrations"))) {
      integrations.map(dir -> dir.resolve("README.md")).filter(Files::exists).forEach(readmes::add);
    }
    int snippets = 0;
    for (Path readme : readmes) {
      Matcher m = STRATA_DEPENDENCY.matcher(Files.readString(readme));
      while (m.find()) {
        snippets++;
        assertThat(m.group(1)).as(readme + ": " + m.group()).isEqualTo(version.group(1));
      }
    }
    assertThat(snippets).as("dependency snippets found").isGreaterThan(4);
  }
}
