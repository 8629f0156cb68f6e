package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.IndexOptions;
import dev.strata.core.VectorIndex;
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
 * Property test of {@code ingest}: seeded random files mixing good records with hostile lines
 * (broken JSON and UTF-8, huge numbers, NaN and Infinity literals, deep nesting, nested metadata,
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
  void everyBadLineIsRejectedWithItsLineAndEveryGoodLineGoesIn() throws Exception {
    long seed = dev.strata.core.testing.TestSeeds.seed("hostile-ingest");
    Random random = new Random(seed);
    int files = FILES * dev.strata.core.testing.TestSeeds.multiplier();
    int linesTried = 0;
    int rejected = 0;
    for (int f = 0; f < files; f++) {
      long fileSeed = random.nextLong();
      String context = "file " + f + ", " + dev.strata.core.testing.TestSeeds.describe(fileSeed);
      List<Line> lines = generate(new Random(fileSeed), f < 2);
      linesTried += lines.size();
      rejected += (int) lines.stream().filter(Line::isBad).count();
      int file = f;
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ingestAndCheck(file, lines, context), context);
    }
    System.out.printf("hostile ingest: %d files, %d lines, %d rejected as expected, 0 good lines lost%n",
        files, linesTried, rejected);
  }

  private void ingestAndCheck(int f, List<Line> lines, String context) throws Exception {
    String index = dir.resolve("idx" + f).toString();
    assertThat(CliRun.of("init", index, "--dim", Integer.toString(DIM), "--similarity", "euclidean").exitCode()).isZero();
    Path input = dir.resolve("in" + f + ".jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Line line : lines) {
      bytes.write(line.bytes());
      bytes.write('\n');
    }
    Files.write(input, bytes.toByteArray());
    Path rejectsFile = dir.resolve("rejects" + f + ".jsonl");

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
      JsonNode reject = rejects.get(n + 1L);
      if (line.isBad()) {
        assertThat(reject).as("line %d must be rejected (%s), %s", n + 1, line.rules(), context).isNotNull();
        assertThat(line.rules()).as("rule of line %d: %s, %s", n + 1, reject, context).contains(reject.get("rule").asText());
      } else {
        assertThat(reject).as("line %d must not be rejected, %s", n + 1, context).isNull();
        if (line.goodId() != null) {
          expected.put(line.goodId(), line.vector());
        }
      }
    }
    assertThat(rejects).as(context).hasSize((int) lines.stream().filter(Line::isBad).count());
    if (!anyGood) {
      return;
    }
    try (VectorIndex opened = VectorIndex.open(Path.of(index), IndexOptions.DEFAULTS.withReadOnly(true))) {
      assertThat(opened.stats().docs()).as(context).isEqualTo(expected.size());
      for (Map.Entry<String, float[]> e : expected.entrySet()) {
        assertThat(opened.get(e.getKey())).as("record '%s', %s", e.getKey(), context).isPresent()
            .get().satisfies(r -> assertThat(r.vector()).containsExactly(e.getValue()));
      }
    }
  }

  private static List<Line> generate(Random random, boolean withHugeLine) throws Exception {
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
    String metadata = random.nextBoolean() ? "" : ",\"metadata\":{\"n\":" + random.nextInt(100) + ",\"tag\":\"t" + random.nextInt(5) + "\"}";
    return Line.good("{\"id\":" + Json.MAPPER.writeValueAsString(id) + ",\"vector\":[" + vector + "]" + metadata + "}", id, v);
  }

  private static Line hostile(Random random, List<String> usedIds) {
    String vector = "[0.5,1,2,3]";
    return switch (random.nextInt(16)) {
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
      default -> random.nextBoolean()
          ? Line.bad("{\"id\":\"digits\",\"vector\":[" + "9".repeat(5_000) + ",1,2,3]}", "MALFORMED", "NON_FINITE_VALUE")
          : new Line("   ".getBytes(StandardCharsets.UTF_8), null, null, Set.of()); // blank: skipped, not rejected
    };
  }
}
