package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.JavadocCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every public type, method and constructor has a comment (the javadoc jar's doclint checks the rest). */
class PublicApiJavadocTest {
  @Test
  void publicApiIsDocumented() throws Exception {
    assertThat(JavadocCoverage.missing(Path.of("src/main/java"), JavadocCoverage.Level.METHOD))
        .as("public API without a javadoc comment").isEmpty();
  }
}
