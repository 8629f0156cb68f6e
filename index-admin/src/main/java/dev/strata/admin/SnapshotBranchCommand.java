package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotBranch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snapshot branch DIR ID TARGET}: a writable copy of one snapshot, files hard-linked where possible. */
@Command(name = "branch", description = "Make a writable index of one snapshot, its files hard-linked where possible.",
    footer = {"", "The branch shares the snapshot's files with the index (Lucene never rewrites a file) where the"
        + " filesystem allows hard links, and copies them where not; the output says which. JSON: snapshot, target,"
        + " files, linked, copied, bytes, millis."})
final class SnapshotBranchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Parameters(index = "1", paramLabel = "ID|TAG", description = "The snapshot to branch.")
  String ref;

  @Parameters(index = "2", paramLabel = "TARGET", description = "The branch's directory: new or empty.")
  Path target;

  @Override
  public Integer call() {
    SnapshotBranch branch;
    try (VectorIndex index = SnapshotCommand.readOnly(dir)) {
      branch = index.history().branch(ref, target);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("snapshot", branch.snapshot().id());
      m.put("target", branch.target().toString());
      m.put("files", branch.files());
      m.put("linked", branch.linked());
      m.put("copied", branch.files() - branch.linked());
      m.put("bytes", branch.bytes());
      m.put("millis", branch.millis());
      Json.print(out, m);
    } else {
      out.printf("branched snapshot %d of %s into %s: %d files, %s, %d bytes, %d ms%n", branch.snapshot().id(), dir.path,
          branch.target(), branch.files(), branch.allLinked() ? "all hard-linked"
              : branch.linked() + " hard-linked and " + (branch.files() - branch.linked()) + " copied (no links across filesystems)",
          branch.bytes(), branch.millis());
    }
    return ExitCodes.OK;
  }
}
