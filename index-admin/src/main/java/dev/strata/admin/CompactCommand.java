package dev.strata.admin;

import dev.strata.core.IndexOptions;
import dev.strata.core.RetentionPolicy;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.CompactionReport;
import dev.strata.core.compaction.Compactor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code compact}: reclaim deleted records, merge segments, prune snapshots; prints the report. */
@Command(
    name = "compact",
    header = "Expunge deleted records, merge segments, prune snapshots retention drops.",
    description = {
      "Compact an index: expunge deleted records, merge segments (each one an HNSW graph that every",
      "search visits), prune the snapshots retention no longer keeps. The result is a new snapshot",
      "whose message is the report. With no action flag, does what the default policy does:",
      "--expunge-deletes --max-segments 4 --prune. Takes the index's write lock."
    })
final class CompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--expunge-deletes", description = "Rewrite segments that hold deleted records, so none remain.")
  boolean expungeDeletes;

  @Option(names = "--max-segments", paramLabel = "N", description = "Merge down to at most N segments.")
  Integer maxSegments;

  @Option(names = "--prune", description = "Delete the snapshots retention no longer keeps (see --keep).")
  boolean prune;

  @Option(names = "--keep", paramLabel = "N", defaultValue = "" + RetentionPolicy.DEFAULT_KEEP_LAST,
      description = "With --prune: newest snapshots to keep besides tagged ones (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(names = "--max-mb-per-sec", paramLabel = "MB", description = "Throttle merge writes to this rate (default: unthrottled).")
  Double maxMbPerSec;

  @Option(names = "--dry-run", description = "Say what would be done and why, without doing it.")
  boolean dryRun;

  @Override
  public Integer call() {
    CompactionPolicy policy = policy();
    // Without --prune nothing may be pruned, not even by the writer opening (which applies retention).
    RetentionPolicy retention = policy.prune() ? RetentionPolicy.keepLast(keep) : RetentionPolicy.keepLast(Integer.MAX_VALUE);
    IndexOptions options = IndexOptions.builder().readOnly(dryRun).retention(retention).build();
    CompactionReport report;
    int keptBefore = dryRun ? 0 : keptSnapshots();
    try (VectorIndex index = VectorIndex.open(dir.path, options)) {
      Compactor compactor = new Compactor(index);
      report = dryRun ? compactor.plan(policy) : compactor.compact(policy);
      if (!dryRun && !report.aborted()) {
        // The writer's open applies --keep before the compaction starts counting: count the whole command.
        int pruned = keptBefore + 1 - index.history().list().size();
        report = new CompactionReport(report.triggers(), report.actions(), report.outcome(), report.before(),
            report.after(), report.io(), pruned, report.duration(), report.snapshot());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Json.print(out, json(report));
    } else if (dryRun) {
      out.printf("would: %s%n", String.join(", ", report.actions()));
      out.printf("now: %d segments, %d records, %d deleted (ratio %.3f), %d bytes%n", report.before().segments(),
          report.before().docs(), report.before().deletedDocs(),
          report.before().docs() + report.before().deletedDocs() == 0 ? 0.0
              : (double) report.before().deletedDocs() / (report.before().docs() + report.before().deletedDocs()),
          report.before().bytes());
      out.printf("default policy triggers firing now: %s%n",
          report.triggers().isEmpty() ? "none (a scheduler would not compact yet)" : String.join("; ", report.triggers()));
    } else {
      out.printf("compacted %s into snapshot %d: %s%n", dir.path, report.snapshot().id(), report.summary());
    }
    return ExitCodes.OK;
  }

  private int keptSnapshots() {
    try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions())) {
      return index.history().list().size();
    }
  }

  /** The flags given, or the default policy's actions when none is. */
  private CompactionPolicy policy() {
    boolean anyAction = expungeDeletes || maxSegments != null || prune;
    if (maxSegments != null && maxSegments < 1) {
      throw new IllegalArgumentException("--max-segments must be >= 1, got " + maxSegments);
    }
    CompactionPolicy base = CompactionPolicy.DEFAULT;
    CompactionPolicy.Builder b = CompactionPolicy.builder()
        .deletedRatioAbove(base.deletedRatioAbove())
        .segmentsAbove(base.segmentsAbove())
        .expungeDeletes(anyAction ? expungeDeletes : base.expungeDeletes())
        .maxSegments(anyAction ? (maxSegments == null ? 0 : maxSegments) : base.maxSegments())
        .prune(anyAction ? prune : base.prune());
    if (maxMbPerSec != null) {
      b.maxMergeMbPerSec(maxMbPerSec);
    }
    return b.build();
  }

  /** The JSON shape of {@code compact --json}. */
  static Map<String, Object> json(CompactionReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dryRun", r.dryRun());
    m.put("aborted", r.aborted());
    m.put("triggers", r.triggers());
    m.put("actions", r.actions());
    m.put("segmentsBefore", r.before().segments());
    m.put("segmentsAfter", r.after().segments());
    m.put("docsBefore", r.before().docs());
    m.put("docsAfter", r.after().docs());
    m.put("deletedDocsBefore", r.before().deletedDocs());
    m.put("deletedDocsAfter", r.after().deletedDocs());
    m.put("bytesBefore", r.before().bytes());
    m.put("bytesAfter", r.after().bytes());
    m.put("bytesRead", r.io().bytesRead());
    m.put("bytesWritten", r.io().bytesWritten());
    m.put("snapshotsPruned", r.snapshotsPruned());
    m.put("seconds", r.duration().toMillis() / 1000.0);
    m.put("snapshot", r.snapshot() == null ? null : Json.snapshot(r.snapshot()));
    return m;
  }
}
