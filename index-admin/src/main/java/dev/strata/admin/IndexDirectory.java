package dev.strata.admin;

import dev.strata.core.IndexOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Parameters;

/** The index directory every command takes first. */
final class IndexDirectory {
  @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
  Path path;

  /**
   * How a command that only reads opens the index: read-only, and without the periodic refresh a
   * service's reader has, so that one command answers from one snapshot from start to end even
   * while a writer commits.
   */
  static IndexOptions readOnlyOptions() {
    return IndexOptions.builder().readOnly(true).refreshInterval(Duration.ZERO).build();
  }
}
