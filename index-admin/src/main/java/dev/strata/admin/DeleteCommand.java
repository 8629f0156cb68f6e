package dev.strata.admin;

import dev.strata.core.IndexOptions;
import dev.strata.core.MetadataFilter;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.core.index.VectorIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "delete",
    header = "Delete records by id, or every record of one source label (counted first).",
    description = {
      "Delete records by id and commit (ids not in the index are reported, not an error), or every",
      "record of one source label: --source counts them, --source --apply deletes them as one snapshot."
    })
final class DeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Ids ids;

  static final class Ids {
    @Option(names = "--id", paramLabel = "ID", arity = "1..*", description = "Ids to delete.")
    List<String> ids;

    @Option(names = "--ids-file", paramLabel = "FILE", description = "File with one id a line.")
    Path file;

    @Option(names = "--source", paramLabel = "LABEL", description = "Every record with this source label (ingest"
        + " --source); a dry run that counts them unless --apply.")
    String source;
  }

  @Option(names = "--apply", description = "With --source: delete and commit (default: count only, change nothing).")
  boolean apply;

  @Option(names = "--message", description = "Snapshot message (default: delete N records).")
  String message;

  @Override
  public Integer call() throws IOException {
    if (ids.source != null) {
      return deleteSource(ids.source);
    }
    if (apply) {
      throw new IllegalArgumentException("--apply goes with --source; deletions by id commit at once");
    }
    Set<String> requested = new LinkedHashSet<>(ids.ids != null ? ids.ids : readIds(ids.file));
    List<String> found = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    SnapshotInfo snapshot = null;
    try (VectorIndex index = VectorIndex.open(dir.path)) {
      for (String id : requested) {
        (index.contains(id) ? found : unknown).add(id);
      }
      if (!found.isEmpty()) {
        index.deleteAll(found);
        snapshot = index.commit(message != null ? message : "delete " + found.size() + " records");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("deleted", found.size());
      doc.put("unknownIds", unknown);
      doc.put("snapshot", snapshot == null ? null : Json.snapshot(snapshot));
      Json.print(out, doc);
    } else {
      out.printf(
          "deleted %d records; %s%n",
          found.size(),
          snapshot == null ? "nothing committed" : "snapshot " + snapshot.id() + ", " + snapshot.liveCount() + " live records");
      if (!unknown.isEmpty()) {
        out.printf("%d ids not in the index: %s%n", unknown.size(), String.join(", ", unknown));
      }
    }
    return ExitCodes.OK;
  }

  /** A bad batch taken out by its label: counted first, deleted as one snapshot with --apply. */
  private int deleteSource(String label) {
    long matched;
    SnapshotInfo snapshot = null;
    try (VectorIndex index = VectorIndex.open(dir.path, apply ? IndexOptions.DEFAULTS : IndexDirectory.readOnlyOptions())) {
      try (SnapshotView latest = index.openLatestSnapshot()) {
        matched = latest.recordsPerSource().getOrDefault(label, 0L);
      }
      if (apply && matched > 0) {
        index.deleteWhere(MetadataFilter.source(label));
        snapshot = index.commit(message != null ? message : "delete source " + label + " (" + matched + " records)");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("source", label);
      doc.put("matched", matched);
      doc.put("applied", apply);
      doc.put("deleted", snapshot == null ? 0 : matched);
      doc.put("snapshot", snapshot == null ? null : Json.snapshot(snapshot));
      Json.print(out, doc);
    } else if (!apply) {
      out.printf("dry run: %d records have source '%s'; nothing changed (--apply deletes them as one snapshot)%n",
          matched, label);
    } else {
      out.printf("deleted %d records of source '%s'; %s%n", matched, label, snapshot == null ? "nothing committed"
          : "snapshot " + snapshot.id() + ", " + snapshot.liveCount() + " live records");
    }
    return ExitCodes.OK;
  }

  private static List<String> readIds(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "ids file");
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
