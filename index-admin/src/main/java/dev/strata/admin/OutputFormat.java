package dev.strata.admin;

import picocli.CommandLine.Option;

/** {@code --json}: one JSON document on stdout instead of the human-readable table. */
final class OutputFormat {
  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;
}
