package dev.strata.admin;

import dev.strata.core.SnapshotInfo;
import dev.strata.core.serving.IndexUpgrade;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "upgrade",
    header = "Rewrite an index from Lucene 9.x in the current format.",
    description = {
      "Rewrite an index from an older Lucene (9.x) in the current format, with a snapshot manifest.",
      "The old directory is kept as DIR.pre-upgrade until you remove it."
    })
final class UpgradeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Override
  public Integer call() {
    SnapshotInfo snapshot = IndexUpgrade.upgrade(dir.path);
    if (format.json) {
      Json.print(spec.commandLine().getOut(), Json.snapshot(snapshot));
    } else {
      spec.commandLine().getOut().printf("%s: snapshot %d, %d records; the old index is in %s.pre-upgrade%n",
          snapshot.message(), snapshot.id(), snapshot.liveCount(), dir.path);
    }
    return ExitCodes.OK;
  }
}
