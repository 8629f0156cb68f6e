package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotDiff;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snapshot diff DIR FROM TO}: the records one snapshot added, removed and changed against another. */
@Command(name = "diff", description = "Show the records added, removed and changed between two snapshots.",
    footer = {"", "Compares the record hashes each snapshot keeps: no vector or text is read. JSON: from, to, added,"
        + " removed, changed, unchanged (counts), addedIds, removedIds, changedIds (sorted, at most --limit each),"
        + " truncated."})
final class SnapshotDiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Parameters(index = "1", paramLabel = "FROM", description = "Snapshot id or tag to compare from.")
  String from;

  @Parameters(index = "2", paramLabel = "TO", description = "Snapshot id or tag to compare to.")
  String to;

  @Option(names = "--limit", defaultValue = "100", description = "Ids listed per kind at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be at least 0, got " + limit);
    }
    SnapshotDiff diff;
    try (VectorIndex index = SnapshotCommand.readOnly(dir)) {
      diff = index.history().diff(from, to);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Json.print(out, json(diff, limit));
      return ExitCodes.OK;
    }
    out.printf("snapshot %d -> %d: %d added, %d removed, %d changed, %d unchanged%n", diff.from().id(), diff.to().id(),
        diff.added().size(), diff.removed().size(), diff.changed().size(), diff.unchanged());
    print(out, "added", diff.added());
    print(out, "removed", diff.removed());
    print(out, "changed", diff.changed());
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, String kind, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    out.printf("%s: %s%s%n", kind, String.join(", ", ids.subList(0, Math.min(limit, ids.size()))),
        ids.size() > limit ? ", ... (" + (ids.size() - limit) + " more; --limit)" : "");
  }

  /** The JSON shape of {@code snapshot diff --json}: a public contract. */
  static Map<String, Object> json(SnapshotDiff diff, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", diff.from().id());
    m.put("to", diff.to().id());
    m.put("added", diff.added().size());
    m.put("removed", diff.removed().size());
    m.put("changed", diff.changed().size());
    m.put("unchanged", diff.unchanged());
    m.put("addedIds", diff.added().subList(0, Math.min(limit, diff.added().size())));
    m.put("removedIds", diff.removed().subList(0, Math.min(limit, diff.removed().size())));
    m.put("changedIds", diff.changed().subList(0, Math.min(limit, diff.changed().size())));
    m.put("truncated", diff.added().size() > limit || diff.removed().size() > limit || diff.changed().size() > limit);
    return m;
  }
}
