package dev.strata.admin;

import dev.strata.core.SnapshotInfo;
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
    description = {
      "Delete records by id and commit. Ids not in the index are reported, not an error."
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
  }

  @Option(names = "--message", description = "Snapshot message (default: delete N records).")
  String message;

  @Override
  public Integer call() throws IOException {
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

  private static List<String> readIds(Path file) throws IOException {
    InputFiles.requireRegularFile(file, "ids file");
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
