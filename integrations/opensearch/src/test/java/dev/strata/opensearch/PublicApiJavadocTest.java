package dev.strata.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.JavadocCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every public type has a comment; methods are being documented (this module is at TYPE for now). */
class PublicApiJavadocTest {
  @Test
  void publicApiIsDocumented() throws Exception {
    assertThat(JavadocCoverage.missing(Path.of("src/main/java"), JavadocCoverage.Level.TYPE))
        .as("public API without a javadoc comment").isEmpty();
  }
}
