package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.IndexOptions;
import dev.strata.core.index.VectorIndex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test of {@code ingest}, JSONL and CSV: seeded random files mixing good records with
 * hostile lines (broken JSON, CSV quoting and UTF-8, wrong field counts, huge numbers, NaN and Infinity literals, deep nesting, nested metadata,
 * duplicate ids, ids with control characters, unpaired surrogates or path separators, wrong
 * vector lengths, unknown fields, 10 MB lines). For every file: each bad line is in the rejects
 * file with its line number and rule, every good line is in the index with its exact vector (the
 * last of a duplicated id winning), and the command ends within its time limit. Seeded like
 * Lucene's randomized tests: the seed is printed; {@code -Dtests.seed=N} replays a run and
 * {@code -Dtests.multiplier=N} runs N times as many files.
 *
 * <p>Written as a seeded generator rather than with jqwik: jqwik runs on JUnit Platform 1.x, not
 * the JUnit 6 this build uses, and its authors ask that its newest versions not be used by coding
 * agents.
 */
class HostileIngestTest {
  private static final int DIM = 4;
  private static final int FILES = 60;
  private static final String CSV_HEADER = "id,vector,text,tag,n:number";

  @TempDir Path dir;

  /** One line of a generated file and what ingest must do with it. */
  private record Line(byte[] bytes, String goodId, float[] vector, Set<String> rules) {
    static Line good(String json, String id, float[] vector) {
      return new Line(json.getBytes(StandardCharsets.UTF_8), id, vector, Set.of());
    }

    static Line bad(String json, String... rules) {
      return new Line(json.getBytes(StandardCharsets.UTF_8), null, null, Set.of(rules));
    }

    static Line bad(byte[] bytes, String... rules) {
      return new Line(bytes, null, null, Set.of(rules));
    }

    boolean isBad() {
      return !rules.isEmpty();
    }
  }

  @Test
  void everyBadJsonlLineIsRejectedWithItsLineAndEveryGoodLineGoesIn() throws Exception {
    run("jsonl", HostileIngestTest::generateJsonl);
  }

  @Test
  void everyBadCsvLineIsRejectedWithItsLineAndEveryGoodLineGoesIn() throws Exception {
    run("csv", HostileIngestTest::generateCsv);
  }

  private interface Generator {
    List<Line> generate(Random random, boolean withHugeLine) throws Exception;
  }

  private void run(String format, Generator generator) throws Exception {
    long seed = dev.strata.core.testing.TestSeeds.seed("hostile-ingest-" + format);
    Random random = new Random(seed);
    int files = FILES * dev.strata.core.testing.TestSeeds.multiplier();
    int linesTried = 0;
    int rejected = 0;
    for (int f = 0; f < files; f++) {
      long fileSeed = random.nextLong();
      String context = format + " file " + f + ", " + dev.strata.core.testing.TestSeeds.describe(fileSeed);
      List<Line> lines = generator.generate(new Random(fileSeed), f < 2);
      linesTried += lines.size();
      rejected += (int) lines.stream().filter(Line::isBad).count();
      int file = f;
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ingestAndCheck(format, file, lines, context), context);
    }
    System.out.printf("hostile %s ingest: %d files, %d lines, %d rejected as expected, 0 good lines lost%n",
        format, files, linesTried, rejected);
  }

  private void ingestAndCheck(String format, int f, List<Line> lines, String context) throws Exception {
    String index = dir.resolve(format + "-idx" + f).toString();
    assertThat(CliRun.of("init", index, "--dim", Integer.toString(DIM), "--similarity", "euclidean").exitCode()).isZero();
    Path input = dir.resolve("in" + f + "." + format);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int firstLine = 1;
    if (format.equals("csv")) {
      bytes.write(CSV_HEADER.getBytes(StandardCharsets.UTF_8));
      bytes.write('\n');
      firstLine = 2;
    }
    for (Line line : lines) {
      bytes.write(line.bytes());
      bytes.write('\n');
    }
    Files.write(input, bytes.toByteArray());
    Path rejectsFile = dir.resolve(format + "-rejects" + f + ".jsonl");

    CliRun run = CliRun.of("ingest", index, "--input", input.toString(), "--rejects", rejectsFile.toString());
    boolean anyBad = lines.stream().anyMatch(Line::isBad);
    boolean anyGood = lines.stream().anyMatch(l -> l.goodId() != null);
    assertThat(run.exitCode()).as(context + "\n" + run).isEqualTo(anyBad ? ExitCodes.REJECTED : ExitCodes.OK);

    Map<Long, JsonNode> rejects = new HashMap<>();
    for (String reject : Files.readAllLines(rejectsFile, StandardCharsets.UTF_8)) {
      JsonNode node = Json.MAPPER.readTree(reject);
      assertThat(node.get("reason").asText()).as(context).isNotBlank();
      rejects.put(node.get("line").asLong(), node);
    }
    Map<String, float[]> expected = new LinkedHashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      Line line = lines.get(n);
      JsonNode reject = rejects.get((long) n + firstLine);
      if (line.isBad()) {
        assertThat(reject).as("line %d must be rejected (%s), %s", n + firstLine, line.rules(), context).isNotNull();
        assertThat(line.rules()).as("rule of line %d: %s, %s", n + firstLine, reject, context).contains(reject.get("rule").asText());
      } else {
        assertThat(reject).as("line %d must not be rejected, %s", n + firstLine, context).isNull();
        if (line.goodId() != null) {
          expected.put(line.goodId(), line.vector());
        }
      }
    }
    assertThat(rejects).as(context).hasSize((int) lines.stream().filter(Line::isBad).count());
    if (!anyGood) {
      return;
    }
    try (VectorIndex opened = VectorIndex.open(Path.of(index), IndexOptions.builder().readOnly(true).build())) {
      assertThat(opened.stats().docs()).as(context).isEqualTo(expected.size());
      for (Map.Entry<String, float[]> e : expected.entrySet()) {
        assertThat(opened.get(e.getKey())).as("record '%s', %s", e.getKey(), context).isPresent()
            .get().satisfies(r -> assertThat(r.vector()).containsExactly(e.getValue()));
      }
    }
  }

  private static List<Line> generateJsonl(Random random, boolean withHugeLine) throws Exception {
    List<Line> lines = new ArrayList<>();
    List<String> usedIds = new ArrayList<>();
    int count = 10 + random.nextInt(40);
    for (int n = 0; n < count; n++) {
      lines.add(random.nextInt(3) == 0 ? good(random, usedIds) : hostile(random, usedIds));
    }
    if (withHugeLine) {
      String huge = "x".repeat(10 << 20);
      lines.add(random.nextInt(lines.size()), Line.bad("{\"id\":\"huge\",\"vector\":[1,2,3,4],\"text\":\"" + huge + "\"}",
          "TEXT_TOO_LONG"));
    }
    return lines;
  }

  private static Line good(Random random, List<String> usedIds) throws Exception {
    String id;
    if (!usedIds.isEmpty() && random.nextInt(5) == 0) {
      id = usedIds.get(random.nextInt(usedIds.size())); // a duplicate: the later line wins
    } else {
      String[] shapes = {"doc-%d", "../%d", "a/b/%d", "C:\\dir\\%d", "ünïcødé-%d", "emoji-😀-%d", "%d", "spaces in id %d"};
      id = String.format(Locale.ROOT, shapes[random.nextInt(shapes.length)], random.nextInt(1_000_000));
      usedIds.add(id);
    }
    float[] v = new float[DIM];
    StringBuilder vector = new StringBuilder();
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
      vector.append(d == 0 ? "" : ",").append(v[d]);
    }
    String metadata = random.nextBoolean() ? "" : ",\"metadata\":{\"n\":" + random.nextInt(100) + ",\"tag\":\"t" + random.nextInt(5)
        + "\",\"z\":-0.0}"; // -0.0 is a number like any other (stored as 0.0)
    return Line.good("{\"id\":" + Json.MAPPER.writeValueAsString(id) + ",\"vector\":[" + vector + "]" + metadata + "}", id, v);
  }

  private static Line hostile(Random random, List<String> usedIds) {
    String vector = "[0.5,1,2,3]";
    return switch (random.nextInt(27)) {
      case 0 -> Line.bad("{\"id\":\"trunc\",\"vector\":[1,2", "MALFORMED");
      case 1 -> Line.bad("{\"id\":\"x\"} trailing garbage", "MALFORMED");
      case 2 -> Line.bad(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "MALFORMED");
      case 3 -> Line.bad(new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'}, "MALFORMED");
      case 4 -> Line.bad("{\"id\":\"big\",\"vector\":[1e400,1,2,3]}", "NON_FINITE_VALUE");
      case 5 -> Line.bad("{\"id\":\"nan\",\"vector\":[NaN,1,2,3]}", "MALFORMED");
      case 6 -> Line.bad("{\"id\":\"inf\",\"vector\":[Infinity,1,2,3]}", "MALFORMED");
      case 7 -> Line.bad("{\"id\":\"nested\",\"vector\":" + vector + ",\"metadata\":{\"a\":{\"b\":1}}}", "METADATA_VALUE_TYPE");
      case 8 -> Line.bad("{\"id\":\"ctl\\u0001id\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 9 -> Line.bad("{\"id\":\"half\\ud800\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 10 -> Line.bad("{\"id\":\"short\",\"vector\":[1,2,3]}", "DIMENSION_MISMATCH");
      case 11 -> Line.bad("{\"id\":\"\",\"vector\":" + vector + "}", "ID_EMPTY");
      case 12 -> Line.bad("{\"id\":\"extra\",\"vector\":" + vector + ",\"vectr\":[1]}", "MALFORMED");
      case 13 -> Line.bad("[".repeat(5_000) + "]".repeat(5_000), "MALFORMED");
      case 14 -> Line.bad("{\"id\":\"bigmeta\",\"vector\":" + vector + ",\"metadata\":{\"n\":-1e999}}", "NON_FINITE_VALUE");
      case 16 -> Line.bad("{\"id\":\"two-a\",\"vector\":" + vector + "}{\"id\":\"two-b\",\"vector\":" + vector + "}", "MALFORMED");
      case 17 -> Line.bad("{\"id\":\"cr-a\",\"vector\":" + vector + "}\r{\"id\":\"cr-b\",\"vector\":" + vector + "}", "MALFORMED");
      case 18 -> Line.bad("{\"id\":\"dup-key\",\"id\":\"other\",\"vector\":" + vector + "}", "MALFORMED");
      case 19 -> Line.bad("{\"id\":\"tail\",\"vector\":" + vector + "} x", "MALFORMED");
      case 15 -> Line.bad("{\"id\":\"huge-norm\",\"vector\":[1e20,1,2,3]}", "VECTOR_OUT_OF_RANGE");
      case 20 -> Line.bad("{\"id\":\"tiny-norm\",\"vector\":[1e-23,1e-23,-1e-23,1e-23]}", "VECTOR_OUT_OF_RANGE");
      case 21 -> Line.bad("{\"id\":\"max\",\"vector\":[3.4e38,3.4e38,0,0]}", "VECTOR_OUT_OF_RANGE");
      case 22 -> Line.bad("{\"id\":\"bidi\\u202Eevil\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 23 -> Line.bad("{\"id\":\"zero\\u200Bwidth\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 24 -> Line.bad("{\"id\":\"\\uFEFFbom\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 25 -> Line.bad("{\"id\":\"line\\u2028sep\",\"vector\":" + vector + "}", "ID_INVALID_CHARACTER");
      case 26 -> Line.bad("{\"id\":\" \\t \",\"vector\":" + vector + "}", "ID_EMPTY");
      default -> random.nextBoolean()
          ? Line.bad("{\"id\":\"digits\",\"vector\":[" + "9".repeat(5_000) + ",1,2,3]}", "MALFORMED", "NON_FINITE_VALUE")
          : new Line("   ".getBytes(StandardCharsets.UTF_8), null, null, Set.of()); // blank: skipped, not rejected
    };
  }

  private static List<Line> generateCsv(Random random, boolean withHugeLine) {
    List<Line> lines = new ArrayList<>();
    List<String> usedIds = new ArrayList<>();
    int count = 10 + random.nextInt(40);
    for (int n = 0; n < count; n++) {
      lines.add(random.nextInt(3) == 0 ? goodCsv(random, usedIds) : hostileCsv(random));
    }
    if (withHugeLine) {
      lines.add(random.nextInt(lines.size()), Line.bad("huge,1 2 3 4," + "x".repeat(10 << 20) + ",,", "TEXT_TOO_LONG"));
    }
    return lines;
  }

  private static Line goodCsv(Random random, List<String> usedIds) {
    String id;
    if (!usedIds.isEmpty() && random.nextInt(5) == 0) {
      id = usedIds.get(random.nextInt(usedIds.size()));
    } else {
      String[] shapes = {"doc-%d", "../%d", "a/b/%d", "C:\\dir\\%d", "ünïcødé-%d", "emoji-😀-%d", "comma,%d", "quote\"%d", "spaces %d"};
      id = String.format(Locale.ROOT, shapes[random.nextInt(shapes.length)], random.nextInt(1_000_000));
      usedIds.add(id);
    }
    float[] v = new float[DIM];
    StringBuilder vector = new StringBuilder();
    boolean json = random.nextBoolean();
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
      vector.append(d == 0 ? "" : json ? ", " : random.nextBoolean() ? " " : ";").append(v[d]);
    }
    String vectorCell = json ? csvQuote("[" + vector + "]") : vector.toString();
    String text = random.nextBoolean() ? "" : csvQuote("a text, with \"quotes\" and commas " + random.nextInt(100));
    String tag = random.nextBoolean() ? "" : "t" + random.nextInt(5);
    String number = random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000) - 500);
    return Line.good(csvQuote(id) + "," + vectorCell + "," + text + "," + tag + "," + number, id, v);
  }

  private static Line hostileCsv(Random random) {
    return switch (random.nextInt(18)) {
      case 0 -> Line.bad("short,1 2 3 4", "MALFORMED");
      case 14 -> Line.bad("huge-norm,1e20 1 2 3,,,", "VECTOR_OUT_OF_RANGE");
      case 15 -> Line.bad("bidi\u202Eevil,1 2 3 4,,,", "ID_INVALID_CHARACTER");
      case 16 -> Line.bad("the end of a field\",1 2 3 4,,,", "MALFORMED"); // a line from inside a multi-line quoted field
      case 17 -> Line.bad("hex,1 2 3 4,,,0x10", "MALFORMED");
      case 1 -> Line.bad("\"open,1 2 3 4,,,", "MALFORMED");
      case 2 -> Line.bad("in\"side,1 2 3 4,,,", "MALFORMED");
      case 3 -> Line.bad("\"closed\"after,1 2 3 4,,,", "MALFORMED");
      case 4 -> Line.bad("badcell,1 x 3 4,,,", "MALFORMED");
      case 5 -> Line.bad("nan,NaN 1 2 3,,,", "NON_FINITE_VALUE");
      case 6 -> Line.bad("big,1e400 1 2 3,,,", "NON_FINITE_VALUE");
      case 7 -> Line.bad("three,1 2 3,,,", "DIMENSION_MISMATCH");
      case 8 -> Line.bad("num,1 2 3 4,,,not-a-number", "MALFORMED");
      case 9 -> Line.bad("ctl\u0001id,1 2 3 4,,,", "ID_INVALID_CHARACTER");
      case 10 -> Line.bad(new byte[] {'u', 't', 'f', (byte) 0xC3, (byte) 0x28, ',', '1', ' ', '2', ' ', '3', ' ', '4', ',', ',', ','},
          "MALFORMED");
      case 11 -> Line.bad(",1 2 3 4,,,", "ID_EMPTY");
      case 12 -> Line.bad("extra,1 2 3 4,,,,,", "MALFORMED");
      default -> new Line("".getBytes(StandardCharsets.UTF_8), null, null, Set.of()); // blank: skipped
    };
  }

  private static String csvQuote(String field) {
    return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }
}
