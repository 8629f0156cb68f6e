package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.JavadocCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every public type of the engine has a comment; methods are being documented (Lucene-style levels: this module is at TYPE for now). */
class PublicApiJavadocTest {
  @Test
  void publicApiIsDocumented() throws Exception {
    assertThat(JavadocCoverage.missing(Path.of("src/main/java"), JavadocCoverage.Level.TYPE))
        .as("public API without a javadoc comment").isEmpty();
  }
}
