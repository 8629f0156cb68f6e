package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.IndexRecovery;
import dev.strata.core.snapshot.IndexVerification;
import dev.strata.core.snapshot.SnapshotArchives;
import dev.strata.core.snapshot.VerificationReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    header = "Check kept snapshots: checksums, counts, record digests (exit 5 if damaged).",
    description = {
      "Check kept snapshots: file checksums, the manifest's counts, and the record digest",
      "recomputed from the stored records. Exit 0 when sound, 5 when anything is wrong."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--snapshot", paramLabel = "ID|TAG", description = "Check this snapshot only (default: every kept one).")
  String snapshot;

  @Override
  public Integer call() {
    List<VerificationReport> reports;
    List<VerificationReport.Check> indexChecks;
    if (snapshot != null) {
      // verify reads every checksum itself, and must report a damaged file rather than refuse to open
      try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions().toBuilder().checksumOnOpen(false).build())) {
        reports = List.of(index.history().verify(snapshot));
        indexChecks = List.of();
      }
    } else {
      // Reads each commit point on its own, without opening the index: a damaged or lost latest
      // snapshot, or a damaged old one, still leaves the operator a list of the intact ones.
      SnapshotArchives.recoverInterruptedImport(dir.path);
      IndexVerification verification = IndexRecovery.verifyIndex(dir.path);
      reports = verification.snapshots();
      indexChecks = verification.indexChecks();
    }
    boolean sound = indexChecks.stream().allMatch(VerificationReport.Check::passed)
        && reports.stream().allMatch(VerificationReport::sound);
    List<Long> intact = reports.stream().filter(VerificationReport::sound).map(VerificationReport::snapshotId).toList();
    PrintWriter out = spec.commandLine().getOut();
    for (VerificationReport.Check c : indexChecks) {
      if (c.passed() && c.detail().startsWith("warning: ")) {
        spec.commandLine().getErr().println(c.detail()); // does not fail verify, but must not go unseen
      }
    }
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("sound", sound);
      doc.put("snapshots", reports.stream().map(VerifyCommand::json).toList());
      doc.put("index", indexChecks.stream().map(c -> Json.check(c.name(), c.passed(), c.detail())).toList());
      doc.put("intactSnapshots", intact);
      Json.print(out, doc);
    } else {
      for (VerificationReport.Check c : indexChecks) {
        out.printf("index: %-4s %-13s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
      }
      for (VerificationReport r : reports) {
        out.printf("snapshot %d: %s%n", r.snapshotId(), r.sound() ? "sound" : "DAMAGED");
        for (VerificationReport.Check c : r.checks()) {
          out.printf("  %-4s %-13s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
        }
      }
      if (!sound) {
        out.printf("intact snapshots: %s%s%n", intact.isEmpty() ? "none" : intact,
            intact.isEmpty() ? "" : " ('snapshot rollback --recover' makes the newest current)");
      }
    }
    return sound ? ExitCodes.OK : ExitCodes.CORRUPT;
  }

  private static Map<String, Object> json(VerificationReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.snapshotId());
    m.put("sound", r.sound());
    m.put("checks", r.checks().stream().map(c -> Json.check(c.name(), c.passed(), c.detail())).toList());
    return m;
  }
}
