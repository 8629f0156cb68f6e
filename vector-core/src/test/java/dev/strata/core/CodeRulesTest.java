package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rules of the code that a reviewer would otherwise have to remember, checked on the sources of
 * every module: each package says what it is for, library code never prints or reads the wall
 * clock or sleeps except where listed here with its reason, and the facade does not grow its API
 * unnoticed.
 */
class CodeRulesTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  /** Modules whose code runs inside a user's service: no printing, no unlisted clocks or sleeps. */
  private static final List<String> LIBRARIES = List.of("vector-core/", "embedder/", "embedder-gpu/", "embedder-fp32/",
      "integrations/");

  /** The only library files that may sleep, each a bounded wait. */
  private static final Map<String, String> MAY_SLEEP = Map.of(
      "vector-core/src/main/java/dev/strata/core/serving/IndexAlias.java", "polls the alias lock, within the caller's wait",
      "vector-core/src/main/java/dev/strata/core/live/CurrentTarget.java", "pauses between bounded retries while a fence is up or the new target is locked",
      "vector-core/src/main/java/dev/strata/core/internal/engine/IndexReaders.java", "throttles the integrity scrub to its bytes/s",
      "integrations/opensearch/src/main/java/dev/strata/opensearch/RemoteRetrier.java", "backs off between bounded retries");

  /** The only library files that read the wall clock directly, each for a time shown to people, never compared across processes. */
  private static final Map<String, String> MAY_READ_THE_WALL_CLOCK = Map.of(
      "embedder/src/main/java/dev/strata/embedder/NativeLibraries.java", "the native cache's file times are wall-clock by nature",
      "vector-core/src/main/java/dev/strata/core/serving/IndexAlias.java", "the alias file's updated-at line, for operators",
      "vector-core/src/main/java/dev/strata/core/serving/MigrationLock.java", "the lock file's started= line, for operators",
      "vector-core/src/main/java/dev/strata/core/promotion/GoldenSet.java", "when a golden set was captured",
      "integrations/opensearch/src/main/java/dev/strata/opensearch/SnapshotPublisher.java", "published-at in the remote index's metadata");

  /** The only library file that prints: Lucene's own log, only when asked for with a system property. */
  private static final Map<String, String> MAY_PRINT = Map.of(
      "vector-core/src/main/java/dev/strata/core/internal/engine/IndexWriters.java", "-Dstrata.lucene.infoStream=true");

  /** {@code VectorIndex}'s public methods when this rule was set: new operations go behind its sub-views. */
  private static final int FACADE_PUBLIC_METHODS = 34;

  @Test
  void everyPackageSaysWhatItIsFor() {
    Set<String> missing = new TreeSet<>();
    for (Path file : mainJavaFiles()) {
      if (!Files.exists(file.resolveSibling("package-info.java"))) {
        missing.add(REPO.relativize(file.getParent()).toString());
      }
    }
    assertThat(missing).as("packages without a package-info.java").isEmpty();
  }

  @Test
  void libraryCodeDoesNotPrintSleepOrReadTheWallClockUnlessListed() {
    Map<String, String> offenders = new TreeMap<>();
    for (Path file : mainJavaFiles()) {
      String name = REPO.relativize(file).toString();
      if (LIBRARIES.stream().noneMatch(name::startsWith)) {
        continue;
      }
      String code = ArchitectureTest.codeOf(read(file));
      offenders.putAll(violations(name, code));
    }
    assertThat(offenders).as("library files that print, sleep or read the wall clock without a listed reason").isEmpty();
  }

  @Test
  void theRulesCatchWhatTheyForbid() {
    String code = ArchitectureTest.codeOf("""
        class A {
          void f() throws Exception {
            System.out.println("x"); // a print
            Thread.sleep(5);
            java.time.Instant t = Instant.now();
            new RuntimeException().printStackTrace();
          }
        }
        """);
    assertThat(violations("vector-core/src/main/java/dev/strata/core/A.java", code))
        .containsOnlyKeys("vector-core/src/main/java/dev/strata/core/A.java print",
            "vector-core/src/main/java/dev/strata/core/A.java sleep", "vector-core/src/main/java/dev/strata/core/A.java wall clock");
    assertThat(violations("vector-core/src/main/java/dev/strata/core/live/CurrentTarget.java", "Thread.sleep(5);")).isEmpty();
  }

  @Test
  void theFacadeDoesNotGrowItsApiUnnoticed() {
    String facade = read(REPO.resolve("vector-core/src/main/java/dev/strata/core/index/VectorIndex.java"));
    long publicMethods = facade.lines().filter(l -> l.startsWith("  public ") && l.contains("(")
        && !l.contains(" class ") && !l.contains(" interface ") && !l.contains(" record ")).count();
    assertThat(publicMethods).as("VectorIndex's public methods (move new operations behind a sub-view, or raise the"
        + " limit here with the reason)").isLessThanOrEqualTo(FACADE_PUBLIC_METHODS);
  }

  @Test
  void theBenchmarksPageStaysAPageOfCurrentResults() throws IOException {
    assertThat(Files.size(REPO.resolve("docs/BENCHMARKS.md"))).as("docs/BENCHMARKS.md bytes (the diary is"
        + " docs/benchmarks-history.md; replace a figure instead of adding a dated section)").isLessThan(16_000);
  }

  private static final Pattern PRINTS = Pattern.compile("System\\.(out|err)\\b|\\.printStackTrace\\(");
  private static final Pattern SLEEPS = Pattern.compile("\\bThread\\.sleep\\(");
  private static final Pattern WALL_CLOCK = Pattern.compile("\\b(Instant|LocalDateTime|ZonedDateTime|OffsetDateTime)\\.now\\(\\)"
      + "|System\\.currentTimeMillis\\(\\)|new java\\.util\\.Date\\(\\)");

  private static Map<String, String> violations(String file, String code) {
    Map<String, String> found = new TreeMap<>();
    if (PRINTS.matcher(code).find() && !MAY_PRINT.containsKey(file)) {
      found.put(file + " print", "System.out / System.err / printStackTrace: use System.Logger");
    }
    if (SLEEPS.matcher(code).find() && !MAY_SLEEP.containsKey(file)) {
      found.put(file + " sleep", "Thread.sleep: wait on a condition with a deadline, or list the file with its bound");
    }
    if (WALL_CLOCK.matcher(code).find() && !MAY_READ_THE_WALL_CLOCK.containsKey(file)) {
      found.put(file + " wall clock", "the wall clock: use the index's Clock (IndexOptions.clock) or System.nanoTime");
    }
    return found;
  }

  private static List<Path> mainJavaFiles() {
    return ArchitectureTest.javaFiles(REPO).stream().filter(f -> f.toString().contains("/src/main/java/")).toList();
  }

  private static String read(Path file) {
    return ArchitectureTest.read(file);
  }
}
