package dev.strata.admin;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The index directory every command takes first. */
final class IndexDirectory {
  @Parameters(index = "0", paramLabel = "DIR", description = "Index directory.")
  Path path;
}
