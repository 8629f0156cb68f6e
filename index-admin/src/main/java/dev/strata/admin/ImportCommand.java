package dev.strata.admin;

import dev.strata.core.snapshot.ArchiveReport;
import dev.strata.core.snapshot.SnapshotArchives;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    header = "Restore an archive into a directory, verified before anything there changes.",
    description = {
      "Restore an archive into DIR. Every file is checked and the snapshot verified before DIR",
      "changes; a damaged or truncated archive leaves DIR as it was."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputFormat format;

  @Parameters(index = "0", paramLabel = "FILE", description = "Archive written by export.")
  Path archive;

  @Parameters(index = "1", paramLabel = "DIR", description = "Index directory to create (or replace with --force).")
  Path dir;

  @Option(names = "--force", description = "Replace an existing index at DIR.")
  boolean force;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    ArchiveReport report = SnapshotArchives.importArchive(archive, dir, force);
    ExportCommand.print(spec, format, "imported", report, archive, (System.nanoTime() - started) / 1e9);
    return ExitCodes.OK;
  }
}
