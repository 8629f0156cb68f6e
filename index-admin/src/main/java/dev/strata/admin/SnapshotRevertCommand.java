package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotRevert;
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

/** {@code snapshot revert DIR ID}: undo one snapshot's changes, keeping every later write; a dry run unless --apply. */
@Command(name = "revert", description = "Undo one snapshot's changes, keeping later writes (a dry run unless --apply).",
    footer = {"", "Records the snapshot added are deleted; those it changed or deleted come back as they were in its"
        + " parent. Records a later snapshot wrote again are conflicts, left as they are unless --force. With --apply the"
        + " revert is one new snapshot. JSON: reverted, before, toDelete, toRestore, conflicts (counts), deleteIds,"
        + " restoreIds, conflictIds (sorted, at most --limit each), applied, snapshot (the new one, or null)."})
final class SnapshotRevertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Parameters(index = "1", paramLabel = "ID|TAG", description = "The snapshot whose changes to undo.")
  String ref;

  @Option(names = "--apply", description = "Commit the revert; without it, only say what it would do.")
  boolean apply;

  @Option(names = "--force", description = "Also restore the records a later snapshot wrote again (the conflicts).")
  boolean force;

  @Option(names = "--limit", defaultValue = "100", description = "Ids listed per kind at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    IdLists.checkLimit(limit);
    SnapshotRevert revert;
    try (VectorIndex index = apply ? VectorIndex.open(dir.path) : SnapshotCommand.readOnly(dir)) {
      revert = index.history().revert(ref, force, apply);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Json.print(out, json(revert, apply, limit));
      return ExitCodes.OK;
    }
    out.printf("%s of snapshot %d (back to %d): %d to delete, %d to restore, %d conflicts%s%n",
        apply ? "revert" : "dry run: revert", revert.reverted().id(), revert.before().id(), revert.toDelete().size(),
        revert.toRestore().size(), revert.conflicts().size(),
        revert.conflicts().isEmpty() ? "" : force ? " (restored: --force)" : " (left as they are; --force restores them)");
    IdLists.print(out, "delete", revert.toDelete(), limit);
    IdLists.print(out, "restore", revert.toRestore(), limit);
    IdLists.print(out, "conflicts", revert.conflicts(), limit);
    if (revert.snapshot() != null) {
      out.printf("committed snapshot %d%n", revert.snapshot().id());
    } else if (!apply) {
      out.println("nothing written; run again with --apply to commit it");
    }
    return ExitCodes.OK;
  }


  /** The JSON shape of {@code snapshot revert --json}: a public contract. */
  static Map<String, Object> json(SnapshotRevert revert, boolean applied, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reverted", revert.reverted().id());
    m.put("before", revert.before().id());
    m.put("toDelete", revert.toDelete().size());
    m.put("toRestore", revert.toRestore().size());
    m.put("conflicts", revert.conflicts().size());
    m.put("deleteIds", IdLists.first(revert.toDelete(), limit));
    m.put("restoreIds", IdLists.first(revert.toRestore(), limit));
    m.put("conflictIds", IdLists.first(revert.conflicts(), limit));
    m.put("applied", applied);
    m.put("snapshot", revert.snapshot() == null ? null : revert.snapshot().id());
    return m;
  }
}
