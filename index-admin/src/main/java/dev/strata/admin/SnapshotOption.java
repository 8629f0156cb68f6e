package dev.strata.admin;

import picocli.CommandLine.Option;

/** {@code --snapshot ID|TAG}: the kept snapshot a command reads, the latest when it is not given. */
final class SnapshotOption {
  @Option(names = "--snapshot", paramLabel = "ID|TAG", description = "A kept snapshot, by id or tag (default: the latest).")
  String snapshot;
}
