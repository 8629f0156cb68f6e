package dev.strata.admin;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.VectorIndex;
import dev.strata.core.snapshot.IndexRecovery;
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
    try (VectorIndex index = VectorIndex.open(dir.path, IndexOptions.builder().readOnly(true).build())) {
      reports = snapshot == null ? index.history().verifyAll() : List.of(index.history().verify(snapshot));
    } catch (IndexDamagedException e) {
      if (snapshot != null) {
        throw e;
      }
      // The latest snapshot will not even open: check each kept one from its commit point, so the
      // operator learns which older ones are intact.
      spec.commandLine().getErr().println("warning: " + e.getMessage());
      reports = IndexRecovery.verifyAll(dir.path);
    }
    boolean sound = reports.stream().allMatch(VerificationReport::sound);
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("sound", sound);
      doc.put("snapshots", reports.stream().map(VerifyCommand::json).toList());
      Json.print(out, doc);
    } else {
      for (VerificationReport r : reports) {
        out.printf("snapshot %d: %s%n", r.snapshotId(), r.sound() ? "sound" : "DAMAGED");
        for (VerificationReport.Check c : r.checks()) {
          out.printf("  %-4s %-13s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
        }
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
