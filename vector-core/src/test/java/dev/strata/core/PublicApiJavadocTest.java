package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.JavadocCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the engine has a comment, and every public method and constructor outside
 * {@code dev.strata.core.internal} (which is no API: the build refuses its use elsewhere).
 */
class PublicApiJavadocTest {
  @Test
  void publicApiIsDocumented() throws Exception {
    assertThat(JavadocCoverage.missing(Path.of("src/main/java"), JavadocCoverage.Level.TYPE))
        .as("public types without a javadoc comment").isEmpty();
    assertThat(JavadocCoverage.missing(Path.of("src/main/java"), JavadocCoverage.Level.METHOD, "internal"))
        .as("public methods and constructors without a javadoc comment").isEmpty();
  }
}
