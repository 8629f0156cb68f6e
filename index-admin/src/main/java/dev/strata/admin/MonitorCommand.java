package dev.strata.admin;

import dev.strata.core.SearchRequest;
import dev.strata.core.VectorSource;
import dev.strata.core.monitor.DriftEvent;
import dev.strata.core.monitor.DriftStatus;
import dev.strata.core.monitor.MonitorOptions;
import dev.strata.core.monitor.RecallEstimate;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "monitor",
    header = "Replay queries through the retrieval drift monitor and recall estimator.",
    description = {
      "Replay a query file through the retrieval drift monitor and the recall estimator, as a",
      "service would: the first queries make the baseline, the last ones the recent window.",
      "Prints each statistic's baseline and recent figures, drift events, and recall@k."
    })
final class MonitorCommand implements Callable<Integer> {
  private static final Duration RECALL_WAIT = Duration.ofMinutes(10);

  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;
  @Mixin ModelOptions modelOptions;

  @Mixin QueryFileOption queries;

  @Mixin SnapshotOption snapshotOption;

  @Mixin SearchDepth depth;

  @Option(names = "--baseline-window", description = "Queries in the baseline (default: half the file, at most 1000).")
  Integer baselineWindow;

  @Option(names = "--recent-window", description = "Queries in the recent window (default: the rest, at most 50).")
  Integer recentWindow;

  @Option(names = "--threshold", defaultValue = "2.0", description = "Drift threshold in baseline standard deviations (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--min-score", defaultValue = "0", description = "Score a hit needs to count in hits_above_min (default: ${DEFAULT-VALUE}).")
  float minScore;

  @Option(names = "--recall-sample-rate", defaultValue = "1.0",
      description = "Share of searches re-run exactly for the recall estimate; 0 turns it off (default: ${DEFAULT-VALUE}).")
  double recallSampleRate;

  @Override
  public Integer call() throws IOException {
    List<QueryFile.Query> read = queries.read();
    int baseline = baselineWindow != null ? baselineWindow : Math.max(2, Math.min(1000, read.size() / 2));
    int recent = recentWindow != null ? recentWindow : Math.max(1, Math.min(50, read.size() - baseline));
    MonitorOptions options = MonitorOptions.builder().baselineWindow(baseline).recentWindow(recent)
        .thresholdSigmas(threshold).minScore(minScore).recallSampleRate(recallSampleRate)
        .recallQueueCapacity(read.size()).name(dir.path.getFileName().toString()).build();
    List<DriftEvent> events = new ArrayList<>();
    DriftStatus status;
    RecallEstimate recall;
    long snapshotId;
    try (RetrievalMonitor monitor = RetrievalMonitor.create(options).addListener(events::add);
        SearcherHandle handle = SearcherHandle.open(dir.path, snapshotOption.snapshot, null).monitor(monitor)) {
      try (SnapshotView view = handle.acquire()) {
        snapshotId = view.snapshot().id();
        VectorSource source = QueryFile.sourceFor(view.schema());
        for (QueryFile.Query q : QueryFile.embedded(read, view.schema(), modelOptions)) {
          view.search(depth.applyTo(SearchRequest.builder(q.vector())).source(source).build());
        }
      }
      recall = awaitRecall(monitor);
      status = monitor.status();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Json.print(out, json(snapshotId, read.size(), options, status, events, recall));
    } else {
      print(out, snapshotId, status, events, recall);
    }
    return ExitCodes.OK;
  }

  /** Waits for the exact re-runs still queued; bounded, so a huge file cannot hang the command. */
  private static RecallEstimate awaitRecall(RetrievalMonitor monitor) {
    Instant deadline = Instant.now().plus(RECALL_WAIT);
    while (monitor.recallEstimate().pending() > 0 && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return monitor.recallEstimate();
  }

  private Map<String, Object> json(
      long snapshotId, int queryCount, MonitorOptions options, DriftStatus status, List<DriftEvent> events, RecallEstimate recall) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("index", dir.path.toString());
    doc.put("snapshot", snapshotId);
    doc.put("queries", queryCount);
    doc.put("state", status.state().name().toLowerCase(Locale.ROOT));
    doc.put("observations", status.observations());
    doc.put("baselineWindow", options.baselineWindow());
    doc.put("recentWindow", options.recentWindow());
    doc.put("thresholdSigmas", options.thresholdSigmas());
    Map<String, Object> statistics = new LinkedHashMap<>();
    for (DriftStatus.Statistic s : status.statistics()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("baselineMean", Json.finite(s.baselineMean()));
      m.put("baselineStdDev", Json.finite(s.baselineStdDev()));
      m.put("recentMean", Json.finite(s.recentMean()));
      m.put("sigmas", Json.finite(s.sigmas()));
      statistics.put(s.statistic().tagValue(), m);
    }
    doc.put("statistics", statistics);
    List<Map<String, Object>> eventList = new ArrayList<>();
    for (DriftEvent e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
      m.put("statistic", e.statistic() == null ? null : e.statistic().tagValue());
      m.put("sigmas", Json.finite(e.sigmas()));
      m.put("observation", e.observation());
      eventList.add(m);
    }
    doc.put("events", eventList);
    Map<String, Object> recallDoc = new LinkedHashMap<>();
    recallDoc.put("k", depth.k);
    recallDoc.put("estimate", Json.finite(recall.recall()));
    recallDoc.put("samples", recall.samples());
    recallDoc.put("dropped", recall.dropped());
    recallDoc.put("failed", recall.failed());
    doc.put("recall", recallDoc);
    return doc;
  }

  private void print(PrintWriter out, long snapshotId, DriftStatus status, List<DriftEvent> events, RecallEstimate recall) {
    out.printf(Locale.ROOT, "index %s, snapshot %d: %d queries observed, state %s%n", dir.path, snapshotId,
        status.observations(), status.state().name().toLowerCase(Locale.ROOT));
    out.printf("  %-16s %14s %14s %12s %8s%n", "statistic", "baseline mean", "baseline std", "recent mean", "sigmas");
    for (DriftStatus.Statistic s : status.statistics()) {
      out.printf(Locale.ROOT, "  %-16s %14.4f %14.4f %12.4f %8.2f%n", s.statistic().tagValue(), s.baselineMean(),
          s.baselineStdDev(), s.recentMean(), s.sigmas());
    }
    events.forEach(e -> out.println("  event: " + e));
    if (recall.samples() > 0) {
      out.printf(Locale.ROOT, "  recall@%d estimate %.4f over %d exact re-runs%n", depth.k, recall.recall(), recall.samples());
    }
  }
}
