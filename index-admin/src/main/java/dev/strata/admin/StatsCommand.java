package dev.strata.admin;

import dev.strata.core.IndexStats;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.snapshot.SnapshotSummary;
import dev.strata.core.snapshot.SnapshotView;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    header = "Show what an index holds: records, segments, bytes, schema, latest snapshot.",
    description = {
      "Show what an index holds: records, deleted records and their ratio, segments, bytes, schema,",
      "latest snapshot, the bytes each kept snapshot alone pins on disk, and the records per source label."})
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Override
  public Integer call() {
    IndexStats stats;
    List<SnapshotSummary> snapshots;
    Map<String, Long> perSource;
    try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions());
        SnapshotView latest = index.openLatestSnapshot()) {
      stats = index.stats();
      snapshots = index.history().list();
      perSource = new LinkedHashMap<>(latest.recordsPerSource());
    }
    Long unlabelled = perSource.remove("");
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> doc = Json.stats(stats);
    doc.put("deletedRatio", Math.round(stats.deletedRatio() * 10_000) / 10_000.0);
    Map<String, Long> pinned = new LinkedHashMap<>();
    snapshots.forEach(s -> pinned.put(Long.toString(s.info().id()), s.pinnedBytes()));
    doc.put("snapshotPinnedBytes", pinned);
    doc.put("sources", perSource);
    doc.put("unlabelledRecords", unlabelled == null ? 0L : unlabelled);
    if (format.json) {
      Json.print(out, doc);
      return ExitCodes.OK;
    }
    out.printf("index %s%n", dir.path);
    doc.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> nested) {
            out.printf("  %-17s%n", key);
            nested.forEach((k, v) -> out.printf("    %-15s %s%n", k, v));
          } else {
            out.printf("  %-17s %s%n", key, value);
          }
        });
    return ExitCodes.OK;
  }
}
