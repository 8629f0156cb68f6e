package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.SearchRequest;
import dev.strata.core.snapshot.RetrievalImpact;
import dev.strata.core.snapshot.SnapshotDiff;
import dev.strata.core.snapshot.SnapshotView;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        + " truncated, bySource (source label -> added, removed, changed; \"\" for records without one); with --queries also retrieval: k, queries, meanOverlap, meanRbo, mostChanged (id, overlap, rbo,"
        + " before, after; lowest rbo first)."})
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

  @Option(names = "--queries", paramLabel = "FILE",
      description = "Also run these queries (JSONL: {\"id\", \"text\"} and/or {\"id\", \"vector\"}) on both snapshots and"
          + " compare their answers: top-k overlap and rank-biased overlap.")
  Path queries;

  @Option(names = {"-k", "--k"}, defaultValue = "10", description = "Hits compared per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Mixin ModelOptions modelOptions;

  @Override
  public Integer call() throws java.io.IOException {
    IdLists.checkLimit(limit);
    SnapshotDiff diff;
    RetrievalImpact impact = null;
    try (VectorIndex index = SnapshotCommand.readOnly(dir)) {
      diff = index.history().diff(from, to);
      if (queries != null) {
        impact = impact(index);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> m = json(diff, limit);
      if (impact != null) {
        m.put("retrieval", json(impact, limit));
      }
      Json.print(out, m);
      return ExitCodes.OK;
    }
    out.printf("snapshot %d -> %d: %d added, %d removed, %d changed, %d unchanged%n", diff.from().id(), diff.to().id(),
        diff.added().size(), diff.removed().size(), diff.changed().size(), diff.unchanged());
    IdLists.print(out, "added", diff.added(), limit);
    IdLists.print(out, "removed", diff.removed(), limit);
    IdLists.print(out, "changed", diff.changed(), limit);
    diff.bySource().forEach((source, c) -> out.printf("  source %s: %d added, %d removed, %d changed%n",
        source.isEmpty() ? "(none)" : "'" + source + "'", c.added(), c.removed(), c.changed()));
    if (impact != null) {
      out.printf(java.util.Locale.ROOT, "retrieval over %d queries, top %d: mean overlap %.3f, mean rank-biased overlap %.3f%n",
          impact.queries().size(), impact.k(), impact.meanOverlap(), impact.meanRbo());
      impact.queries().stream().filter(q -> q.rbo() < 1).limit(Math.min(limit, 10)).forEach(q -> out.printf(java.util.Locale.ROOT,
          "  %s: overlap %.2f, rbo %.3f, before %s, after %s%n", q.id(), q.overlap(), q.rbo(), q.before(), q.after()));
    }
    return ExitCodes.OK;
  }

  private RetrievalImpact impact(VectorIndex index) throws java.io.IOException {
    if (k < 1) {
      throw new IllegalArgumentException("-k must be at least 1, got " + k);
    }
    Map<String, SearchRequest> requests = new LinkedHashMap<>();
    for (QueryFile.Query q : QueryFile.embedded(QueryFile.read(queries), index.schema(), modelOptions)) {
      requests.put(q.id(), SearchRequest.builder(q.vector()).source(QueryFile.sourceFor(index.schema())).build());
    }
    try (SnapshotView before = index.history().open(from); SnapshotView after = index.history().open(to)) {
      return RetrievalImpact.of(before, after, requests, k);
    }
  }

  /** The JSON shape of {@code retrieval} in {@code snapshot diff --queries --json}: a public contract. */
  static Map<String, Object> json(RetrievalImpact impact, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("k", impact.k());
    m.put("queries", impact.queries().size());
    m.put("meanOverlap", impact.meanOverlap());
    m.put("meanRbo", impact.meanRbo());
    m.put("mostChanged", impact.queries().stream().limit(limit).map(q -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", q.id());
      one.put("overlap", q.overlap());
      one.put("rbo", q.rbo());
      one.put("before", q.before());
      one.put("after", q.after());
      return one;
    }).toList());
    return m;
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
    m.put("addedIds", IdLists.first(diff.added(), limit));
    m.put("removedIds", IdLists.first(diff.removed(), limit));
    m.put("changedIds", IdLists.first(diff.changed(), limit));
    m.put("truncated", diff.added().size() > limit || diff.removed().size() > limit || diff.changed().size() > limit);
    Map<String, Object> bySource = new LinkedHashMap<>();
    diff.bySource().forEach((source, c) -> bySource.put(source, Map.of("added", c.added(), "removed", c.removed(),
        "changed", c.changed())));
    m.put("bySource", bySource);
    return m;
  }
}
