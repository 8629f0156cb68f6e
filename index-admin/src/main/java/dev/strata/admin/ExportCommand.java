package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.ArchiveReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    description = {
      "Write a snapshot to one archive (tar + zstd, SHA-256 per file).",
      "With --since, only the files that snapshot lacks: for replicas that hold it."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Mixin SnapshotOption snapshotOption;

  @Option(names = "--since", paramLabel = "ID|TAG", description = "Base snapshot the receiver already holds.")
  String since;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Archive to write.")
  Path out;

  @Override
  public Integer call() {
    OutputPaths.outside(out, "--out", dir.path, "the index directory");
    long started = System.nanoTime();
    ArchiveReport report;
    try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions())) {
      String ref = snapshotOption.snapshot != null ? snapshotOption.snapshot : Long.toString(index.latestSnapshot().id());
      report = index.history().export(ref, since, out);
    }
    print(spec, format, "exported", report, out, (System.nanoTime() - started) / 1e9);
    return ExitCodes.OK;
  }

  static void print(CommandSpec spec, OutputFormat format, String verb, ArchiveReport r, Path archive, double seconds) {
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("snapshot", r.snapshotId());
      doc.put("baseSnapshot", r.baseSnapshotId() == 0 ? null : r.baseSnapshotId());
      doc.put("files", r.files());
      doc.put("bytes", r.bytes());
      doc.put("archive", archive.toString());
      doc.put("archiveBytes", r.archiveBytes());
      doc.put("seconds", seconds);
      Json.print(spec.commandLine().getOut(), doc);
    } else {
      spec.commandLine().getOut().printf(
          "%s snapshot %d%s: %d files, %d bytes (archive %s, %d bytes) in %.2f s%n",
          verb, r.snapshotId(), r.baseSnapshotId() == 0 ? "" : " (since " + r.baseSnapshotId() + ")",
          r.files(), r.bytes(), archive, r.archiveBytes(), seconds);
    }
  }
}
