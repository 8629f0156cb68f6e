package dev.strata.admin;

import dev.strata.core.IndexOptions;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.SnapshotSummary;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code snapshot list|show|diff|revert|branch|tag|untag|rollback|prune}: the versions an index keeps. */
@Command(
    name = "snapshot",
    description = "List, compare, revert, branch, tag, roll back and prune an index's snapshots.",
    subcommands = {
      SnapshotCommand.ListSnapshots.class,
      SnapshotCommand.Show.class,
      SnapshotDiffCommand.class,
      SnapshotRevertCommand.class,
      SnapshotBranchCommand.class,
      SnapshotCommand.Tag.class,
      SnapshotCommand.Untag.class,
      SnapshotCommand.Rollback.class,
      SnapshotCommand.Prune.class
    })
final class SnapshotCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static VectorIndex readOnly(IndexDirectory dir) {
    return VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions());
  }

  /** The JSON shape of one snapshot in {@code snapshot list --json}: a public contract. */
  static Map<String, Object> json(SnapshotSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.info().id());
    m.put("parent", s.info().parentId());
    m.put("createdAt", s.info().createdAt().toString());
    m.put("message", s.info().message());
    m.put("docs", s.info().liveCount());
    m.put("deletedDocs", s.deletedDocs());
    m.put("tags", s.tags());
    m.put("modelFingerprint", s.modelFingerprint());
    m.put("recordDigest", s.info().recordDigest());
    m.put("pinnedBytes", s.pinnedBytes());
    m.put("sourceSha256", s.info().sourceSha256());
    if (s.writer() == null) {
      m.put("writer", null); // written before Strata recorded writers
    } else {
      Map<String, Object> writer = new LinkedHashMap<>();
      writer.put("host", s.writer().host());
      writer.put("user", s.writer().user());
      writer.put("process", s.writer().process());
      writer.put("strataVersion", s.writer().strataVersion());
      m.put("writer", writer);
    }
    return m;
  }

  static void printTable(PrintWriter out, List<SnapshotSummary> snapshots) {
    out.printf("%6s  %6s  %-24s  %9s  %9s  %12s  %-16s  %-24s  %s%n", "id", "parent", "created", "docs", "deleted", "pinned bytes",
        "tags", "written by", "message");
    for (SnapshotSummary s : snapshots) {
      String writer = s.writer() == null ? "-" : s.writer().user() + "@" + s.writer().host();
      out.printf("%6d  %6d  %-24s  %9d  %9d  %12d  %-16s  %-24s  %s%n",
          s.info().id(), s.info().parentId(), s.info().createdAt().toString().replaceFirst("\\.\\d+Z$", "Z"),
          s.info().liveCount(), s.deletedDocs(), s.pinnedBytes(), String.join(",", s.tags()), writer, s.info().message());
    }
  }

  @Command(name = "list", description = "List the kept snapshots, oldest first.")
  static final class ListSnapshots implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;

    @Override
    public Integer call() {
      List<SnapshotSummary> snapshots;
      List<String> unreadable;
      try (VectorIndex index = readOnly(dir)) {
        snapshots = index.history().list();
        unreadable = index.history().unreadableCommitPoints();
      }
      for (String damaged : unreadable) { // its snapshot is missing from the list: say why, not silently
        spec.commandLine().getErr().println("warning: commit point " + damaged + "; its snapshot is not listed (run"
            + " 'index-admin verify' for the intact ones)");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Json.print(out, snapshots.stream().map(SnapshotCommand::json).toList());
      } else {
        printTable(out, snapshots);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one snapshot, by id or tag.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;

    @Parameters(index = "1", paramLabel = "ID|TAG", description = "Snapshot id or tag.")
    String ref;

    @Override
    public Integer call() {
      SnapshotSummary found;
      try (VectorIndex index = readOnly(dir)) {
        long id;
        try (var view = index.history().open(ref)) {
          id = view.snapshot().id();
        }
        found = index.history().list().stream().filter(s -> s.info().id() == id).findFirst().orElseThrow();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Json.print(out, json(found));
      } else {
        json(found).forEach((k, v) -> out.printf("  %-17s %s%n", k, v));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "tag", description = "Name a snapshot; tagged snapshots are always kept.")
  static final class Tag implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;

    @Parameters(index = "1", paramLabel = "ID|TAG", description = "Snapshot id (or an existing tag).")
    String ref;

    @Parameters(index = "2", paramLabel = "TAG", description = "The new name: letters, digits, _ . - (not all digits).")
    String tag;

    @Override
    public Integer call() {
      try (VectorIndex index = readOnly(dir)) {
        index.history().tag(ref, tag);
      }
      spec.commandLine().getOut().printf("tagged snapshot %s as %s%n", ref, tag);
      return ExitCodes.OK;
    }
  }

  @Command(name = "untag", description = "Remove a tag; retention may then drop its snapshot.")
  static final class Untag implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;

    @Parameters(index = "1", paramLabel = "TAG", description = "The tag to remove.")
    String tag;

    @Override
    public Integer call() {
      try (VectorIndex index = readOnly(dir)) {
        index.history().untag(tag);
      }
      spec.commandLine().getOut().printf("removed tag %s%n", tag);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rollback",
      description = {
        "Make a kept snapshot the current state, without copying data.",
        "Records a new snapshot; the later ones stay kept, so a rollback can be undone."
      })
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|TAG",
        description = "Snapshot id or tag to go back to (with --recover it may be left out: the newest intact one).")
    String ref;

    @Option(names = "--recover", description = "The latest snapshot is damaged or lost and will not open: roll back"
        + " without opening it (the target is verified first).")
    boolean recover;

    @Override
    public Integer call() {
      long started = System.nanoTime();
      SnapshotInfo snapshot;
      if (recover) {
        snapshot = ref == null ? IndexRecovery.rollbackToNewestIntact(dir.path) : IndexRecovery.rollback(dir.path, ref);
      } else if (ref == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'ID|TAG'"
            + " (only --recover may leave it out)");
      } else {
        try (VectorIndex index = VectorIndex.open(dir.path)) {
          snapshot = index.history().rollbackTo(ref);
        }
      }
      double ms = (System.nanoTime() - started) / 1e6;
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("snapshot", Json.snapshot(snapshot));
        doc.put("tookMs", ms);
        Json.print(out, doc);
      } else {
        out.printf("%s: snapshot %d, %d live records (%.0f ms)%n", snapshot.message(), snapshot.id(), snapshot.liveCount(), ms);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "prune",
      description = "Delete the snapshots that are not among the last N, untagged; prints what was freed.")
  static final class Prune implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;

    @Option(names = "--keep", defaultValue = "" + RetentionPolicy.DEFAULT_KEEP_LAST, description = "Newest snapshots to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    @Override
    public Integer call() {
      List<SnapshotSummary> before;
      try (VectorIndex index = readOnly(dir)) {
        before = index.history().list();
      }
      List<SnapshotSummary> after;
      // Opening the writer runs the retention policy over the existing commits.
      try (VectorIndex index = VectorIndex.open(dir.path, IndexOptions.builder().retention(RetentionPolicy.keepLast(keep)).build())) {
        after = index.history().list();
      }
      List<Long> kept = after.stream().map(s -> s.info().id()).toList();
      List<Long> pruned = before.stream().map(s -> s.info().id()).filter(id -> !kept.contains(id)).toList();
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("pruned", pruned);
        doc.put("kept", kept);
        Json.print(out, doc);
      } else {
        out.printf("pruned %d snapshots %s; kept %s%n", pruned.size(), pruned, kept);
      }
      return ExitCodes.OK;
    }
  }
}
