package dev.strata.admin;

import dev.strata.core.index.VectorIndex;
import dev.strata.core.promotion.GoldenCheck;
import dev.strata.core.promotion.GoldenQuery;
import dev.strata.core.promotion.GoldenReport;
import dev.strata.core.promotion.GoldenSet;
import dev.strata.core.promotion.GoldenTolerance;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code golden capture|check}: the query set that keeps a bad snapshot out of production. */
@Command(
    name = "golden",
    header = "Capture a golden query set and check snapshots against it.",
    description = {
      "Capture a golden query set from a snapshot you trust, stored with the index, and check",
      "snapshots against it. 'alias set' refuses (exit 6) a target that fails it, unless --force."
    },
    subcommands = {GoldenCommand.Capture.class, GoldenCommand.Check.class})
final class GoldenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Opens {@code idOrTag}, or the latest snapshot when null. */
  static SnapshotView open(VectorIndex index, String idOrTag) {
    return idOrTag == null ? index.openLatestSnapshot() : index.history().open(idOrTag);
  }

  @Command(
      name = "capture",
      description = {
        "Search a trusted snapshot with each query of --queries and store the top k hits, with",
        "the tolerance, as the index's golden set (replacing any previous one)."
      })
  static final class Capture implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;
    @Mixin ModelOptions modelOptions;

    @Mixin QueryFileOption queries;

    @Mixin SnapshotOption snapshotOption;

    @Option(names = {"-k", "--k"}, defaultValue = "10", description = "Hits kept per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--min-recall", defaultValue = "0.9",
        description = "Recall@k of the golden hits a candidate must reach (default: ${DEFAULT-VALUE}).")
    double minRecall;

    @Option(names = "--max-score-shift", defaultValue = "0.05",
        description = "How far the mean top-1 score may move (default: ${DEFAULT-VALUE}).")
    double maxScoreShift;

    @Override
    public Integer call() throws IOException {
      GoldenTolerance tolerance = new GoldenTolerance(minRecall, maxScoreShift);
      List<QueryFile.Query> read = queries.read();
      GoldenSet golden;
      try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions());
          SnapshotView trusted = open(index, snapshotOption.snapshot)) {
        List<GoldenQuery> probes = new ArrayList<>();
        for (QueryFile.Query q : QueryFile.embedded(read, index.schema(), modelOptions)) {
          probes.add(GoldenQuery.probe(q.id(), q.text(), q.vector()));
        }
        golden = GoldenSet.capture(trusted, probes, k, tolerance);
      }
      golden.write(dir.path);
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("index", dir.path.toString());
        doc.put("file", dir.path.resolve(GoldenSet.FILE).toString());
        doc.put("snapshot", golden.snapshotId());
        doc.put("queries", golden.queries().size());
        doc.put("k", golden.k());
        doc.put("minRecall", minRecall);
        doc.put("maxTop1ScoreShift", maxScoreShift);
        Json.print(out, doc);
      } else {
        out.printf("captured %d golden queries (k=%d) from snapshot %d into %s%n", golden.queries().size(), golden.k(),
            golden.snapshotId(), dir.path.resolve(GoldenSet.FILE));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      description = {
        "Run the golden set against a snapshot: exit 0 when it is within the tolerance,",
        "6 when it regressed. By default the set stored with DIR; --golden-from takes another",
        "index's (check a rebuilt index against the one it replaces)."
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin IndexDirectory dir;
    @Mixin OutputFormat format;
    @Mixin ModelOptions modelOptions;

    @Mixin SnapshotOption snapshotOption;

    @Option(names = "--golden-from", paramLabel = "DIR", description = "Index whose golden set to use (default: DIR).")
    Path goldenFrom;

    @Override
    public Integer call() {
      Path source = goldenFrom == null ? dir.path : goldenFrom;
      GoldenSet golden = GoldenSet.read(source).orElseThrow(() -> new IllegalArgumentException(
          "index " + source + " has no golden query set; capture one with 'index-admin golden capture'"));
      GoldenReport report;
      try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions());
          SnapshotView candidate = open(index, snapshotOption.snapshot)) {
        boolean otherModel = !Objects.equals(index.schema().modelFingerprint(), golden.modelFingerprint());
        if (otherModel && index.schema().modelFingerprint() != null && golden.queries().stream().allMatch(q -> q.text() != null)) {
          try (OnnxEmbedder embedder = modelOptions.loadFor(index.schema())) {
            report = GoldenCheck.run(golden, candidate, embedder);
          }
        } else {
          report = GoldenCheck.run(golden, candidate, null);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (format.json) {
        Json.print(out, json(report, golden));
      } else {
        print(out, report);
      }
      return report.passed() ? ExitCodes.OK : ExitCodes.REGRESSION;
    }

    private static Map<String, Object> json(GoldenReport report, GoldenSet golden) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("passed", report.passed());
      doc.put("index", report.index().toString());
      doc.put("snapshot", report.snapshotId());
      doc.put("goldenSnapshot", report.goldenSnapshotId());
      doc.put("queries", report.queries());
      doc.put("k", golden.k());
      doc.put("recall", Json.finite(report.recall()));
      doc.put("expectedTop1", Json.finite(report.expectedTop1()));
      doc.put("actualTop1", Json.finite(report.actualTop1()));
      doc.put("minRecall", golden.tolerance().minRecall());
      doc.put("maxTop1ScoreShift", golden.tolerance().maxTop1ScoreShift());
      doc.put("reembedded", report.reembedded());
      doc.put("problems", report.problems());
      List<Map<String, Object>> worst = new ArrayList<>();
      for (GoldenReport.QueryOutcome o : report.worst()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("recall", o.recall());
        m.put("expectedTop1", o.expectedTop1());
        m.put("actualTop1", o.actualTop1());
        worst.add(m);
      }
      doc.put("worst", worst);
      return doc;
    }

    private static void print(PrintWriter out, GoldenReport report) {
      out.printf(Locale.ROOT, "%s: snapshot %d of %s against the golden set from snapshot %d%n",
          report.passed() ? "PASS" : "REGRESSION", report.snapshotId(), report.index(), report.goldenSnapshotId());
      out.printf(Locale.ROOT, "  %d queries, recall@k %.4f, mean top-1 score %.4f (golden %.4f)%s%n", report.queries(),
          report.recall(), report.actualTop1(), report.expectedTop1(), report.reembedded() ? ", texts re-embedded" : "");
      report.problems().forEach(p -> out.println("  problem: " + p));
      if (!report.passed()) {
        report.worst().forEach(o -> out.printf(Locale.ROOT, "  worst: %s recall %.2f, top-1 %.4f -> %.4f%n",
            o.id(), o.recall(), o.expectedTop1(), o.actualTop1()));
      }
    }
  }
}
