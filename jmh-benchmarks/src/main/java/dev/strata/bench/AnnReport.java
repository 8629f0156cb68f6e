package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The ANN harness's results: one point per library and search effort, written as CSV, Markdown, PNG and JSON. */
final class AnnReport {
  /**
   * One library at one effort: median, min and max QPS over the rounds, and each round's QPS in
   * order ({@code perRound}, empty for an anchor that reports only the median and range): round r of
   * every library ran back to back, so their ratios can be taken round by round.
   */
  record Point(String library, int ef, double recall, double qps, double qpsMin, double qpsMax, double[] perRound) {
    Point(String library, int ef, double recall, double qps, double qpsMin, double qpsMax) {
      this(library, ef, recall, qps, qpsMin, qpsMax, new double[0]);
    }
  }

  /** A library's QPS at the target over the reference's, round by round: median, min, max. */
  record RoundRatios(String reference, double median, double min, double max, int rounds) {}

  /** A library's row: {@code threads} searched (what its QPS is measured on), {@code buildThreads} built. */
  /**
   * One library's build; {@code indexBytes} what its index takes (on disk for Strata and Lucene,
   * in memory for hnswlib), {@code rssBytes} the resident set of its process while it searched
   * (Strata and raw Lucene share one JVM; hnswlib's includes its copy of the input); -1 unknown.
   */
  record Library(String name, double buildSeconds, int buildThreads, int threads, long indexBytes, long rssBytes) {
    Library(String name, double buildSeconds, int buildThreads, int threads, long indexBytes) {
      this(name, buildSeconds, buildThreads, threads, indexBytes, -1);
    }
  }

  private final String dataset;
  private final int n;
  private final int dim;
  private final double recallTarget;
  private final List<Library> libraries = new ArrayList<>();
  private final List<Point> points = new ArrayList<>();
  private String reference; // the interleaved anchor every library is paired with, round by round

  AnnReport(String dataset, int n, int dim, double recallTarget) {
    this.dataset = dataset;
    this.n = n;
    this.dim = dim;
    this.recallTarget = recallTarget;
  }

  void library(Library library) {
    libraries.add(library);
  }

  void point(Point point) {
    points.add(point);
  }

  /** The library each other is compared with round by round ({@link #roundRatios}). */
  void reference(String library) {
    this.reference = library;
  }

  /** The fastest setting whose recall reaches the target: the comparison at equal recall. */
  Optional<Point> bestAtTarget(String library) {
    return points.stream()
        .filter(p -> p.library().equals(library) && p.recall() >= recallTarget)
        .max((a, b) -> Double.compare(a.qps(), b.qps()));
  }

  /**
   * The library's QPS at exactly the recall target, read off its own curve: between the two
   * settings whose recalls bracket the target, log(QPS) is interpolated linearly in recall (QPS
   * falls about exponentially as recall nears 1). Comparing libraries there, rather than at the
   * nearest setting each, keeps one library's coarse effort grid from deciding the ratio. Empty
   * when no setting reaches the target; the best setting's QPS when every setting is above it (no
   * extrapolation).
   */
  Optional<Double> qpsAtTargetInterpolated(String library) {
    return interpolated(curve(library), Point::qps);
  }

  /**
   * {@code library}'s QPS at the target over the reference's, each read off its own curve of one
   * round, for every round both measured: the median of these paired ratios and their range, so
   * one noisy round neither makes nor breaks a comparison. Empty without a reference, per-round
   * figures or a target both reach.
   */
  Optional<RoundRatios> roundRatios(String library) {
    if (reference == null || reference.equals(library)) {
      return Optional.empty();
    }
    List<Point> mine = curve(library);
    List<Point> theirs = curve(reference);
    int rounds = Math.min(minRounds(mine), minRounds(theirs));
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      int round = r;
      Optional<Double> a = interpolated(mine, p -> p.perRound()[round]);
      Optional<Double> b = interpolated(theirs, p -> p.perRound()[round]);
      if (a.isPresent() && b.isPresent()) {
        ratios.add(a.get() / b.get());
      }
    }
    if (ratios.isEmpty()) {
      return Optional.empty();
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return Optional.of(new RoundRatios(reference, HarnessSupport.median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length));
  }

  private List<Point> curve(String library) {
    return points.stream().filter(p -> p.library().equals(library))
        .sorted((a, b) -> Double.compare(a.recall(), b.recall())).toList();
  }

  private static int minRounds(List<Point> curve) {
    return curve.isEmpty() ? 0 : curve.stream().mapToInt(p -> p.perRound().length).min().orElse(0);
  }

  private Optional<Double> interpolated(List<Point> curve, java.util.function.ToDoubleFunction<Point> qpsOf) {
    if (curve.isEmpty() || curve.getLast().recall() < recallTarget) {
      return Optional.empty();
    }
    Point above = null;
    Point below = null;
    for (Point p : curve) {
      if (p.recall() >= recallTarget) {
        if (above == null || qpsOf.applyAsDouble(p) > qpsOf.applyAsDouble(above)) {
          above = p; // the fastest setting at or above the target
        }
      } else if (below == null || p.recall() > below.recall()
          || (p.recall() == below.recall() && qpsOf.applyAsDouble(p) > qpsOf.applyAsDouble(below))) {
        below = p; // the closest setting under it
      }
    }
    double high = qpsOf.applyAsDouble(above);
    if (below == null || above.recall() == below.recall()) {
      return Optional.of(high);
    }
    double low = qpsOf.applyAsDouble(below);
    double t = (recallTarget - below.recall()) / (above.recall() - below.recall());
    return Optional.of(Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low))));
  }

  void write(Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("library,ef,recall@10,qps,qps_min,qps_max\n");
    for (Point p : points) {
      // Quoted (RFC 4180): library names may hold commas.
      csv.append(String.format(Locale.ROOT, "\"%s\",%d,%.5f,%.1f,%.1f,%.1f%n",
          p.library().replace("\"", "\"\""), p.ef(), p.recall(), p.qps(), p.qpsMin(), p.qpsMax()));
    }
    Files.writeString(dir.resolve("ann-results.csv"), csv);
    Files.writeString(dir.resolve("ann-results.md"), markdown());
    chart(dir.resolve("ann-recall-qps"));
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Dataset %s: %,d x %d, recall target %.2f, search threads %s, build threads %s.%n%n",
        dataset, n, dim, recallTarget, threadCounts(Library::threads), threadCounts(Library::buildThreads)));
    md.append("| library | build s | index MiB | best QPS at target | recall there | ef there | QPS at target, interpolated |\n|---|---|---|---|---|---|---|\n");
    for (Library l : libraries) {
      Optional<Point> best = bestAtTarget(l.name());
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %s |%n", l.name(), l.buildSeconds(),
          l.indexBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", l.indexBytes() / 1048576.0),
          best.map(p -> String.format(Locale.ROOT, "%,.0f", p.qps())).orElse("not reached"),
          best.map(p -> String.format(Locale.ROOT, "%.4f", p.recall())).orElse("-"),
          best.map(p -> Integer.toString(p.ef())).orElse("-"),
          qpsAtTargetInterpolated(l.name()).map(q -> String.format(Locale.ROOT, "%,.0f", q)).orElse("-")));
    }
    for (Library l : libraries) {
      roundRatios(l.name()).ifPresent(r -> md.append(String.format(Locale.ROOT,
          "%n%s / %s at recall %.2f, paired round by round: median %.3f (%.3f-%.3f), %d rounds%n",
          l.name(), r.reference(), recallTarget, r.median(), r.min(), r.max(), r.rounds())));
    }
    md.append("\n| library | ef | recall@10 | QPS (median) | QPS range |\n|---|---|---|---|---|\n");
    for (Point p : points) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %,.0f | %,.0f-%,.0f |%n",
          p.library(), p.ef(), p.recall(), p.qps(), p.qpsMin(), p.qpsMax()));
    }
    return md.toString();
  }

  Map<String, Object> summary() {
    List<Map<String, Object>> libs = new ArrayList<>();
    for (Library l : libraries) {
      Optional<Point> best = bestAtTarget(l.name());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", l.name());
      m.put("buildSeconds", l.buildSeconds());
      m.put("threads", l.threads());
      m.put("buildThreads", l.buildThreads());
      m.put("bestQpsAtTarget", best.map(Point::qps).orElse(null));
      m.put("recallAtThatSetting", best.map(Point::recall).orElse(null));
      m.put("setting", best.map(p -> "ef=" + p.ef()).orElse(null));
      m.put("qpsAtTargetInterpolated", qpsAtTargetInterpolated(l.name()).orElse(null));
      m.put("indexBytes", l.indexBytes() < 0 ? null : l.indexBytes());
      m.put("rssBytes", l.rssBytes() < 0 ? null : l.rssBytes());
      roundRatios(l.name()).ifPresent(r -> {
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("reference", r.reference());
        ratio.put("median", r.median());
        ratio.put("min", r.min());
        ratio.put("max", r.max());
        ratio.put("rounds", r.rounds());
        m.put("ratioPerRound", ratio);
      });
      libs.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataset", dataset);
    out.put("n", n);
    out.put("dim", dim);
    out.put("recallTarget", recallTarget);
    out.put("libraries", libs);
    return out;
  }

  private String threadCounts(java.util.function.ToIntFunction<Library> which) {
    return libraries.stream().mapToInt(which).distinct().sorted().mapToObj(Integer::toString).reduce((a, b) -> a + "/" + b).orElse("-");
  }

  /** A flat JSON rendering: the summary holds only strings, numbers, nulls, lists and maps. */
  static String json(Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      case Double d -> String.format(Locale.ROOT, "%.4f", d);
      case Number num -> num.toString();
      case Map<?, ?> m -> {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(json(k.toString()) + ": " + json(v)));
        yield "{" + String.join(", ", parts) + "}";
      }
      case List<?> l -> "[" + String.join(", ", l.stream().map(AnnReport::json).toList()) + "]";
      default -> json(value.toString());
    };
  }

  private void chart(Path pngWithoutSuffix) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600)
        .title("recall@10 against queries/s, " + dataset + " (" + n + " x " + dim + ")")
        .xAxisTitle("recall@10").yAxisTitle("queries per second (search threads: " + threadCounts(Library::threads) + ")").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    for (Library l : libraries) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      points.stream().filter(p -> p.library().equals(l.name())).forEach(p -> {
        x.add(p.recall());
        y.add(p.qps());
      });
      if (!x.isEmpty()) {
        chart.addSeries(l.name(), x, y);
      }
    }
    BitmapEncoder.saveBitmap(chart, pngWithoutSuffix.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
