package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the build enforces (JPMS is impractical while the adapters' own dependencies
 * ship no module descriptors, so the rules are checked on the sources): nothing outside
 * vector-core uses its internals, no two source files depend on each other around a circle, and
 * no main source file grows past what a reader takes in at one sitting.
 */
class ArchitectureTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path REPO = MODULE.getParent();
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]+);");
  private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z]\\w*\\b");
  /** A fully qualified Strata type in code: {@code dev.strata.core.snapshot.SnapshotView}. */
  private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.strata\\.core(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
  private static final int MAX_MAIN_FILE_LINES = 500;

  @Test
  void nothingOutsideVectorCoreUsesItsInternals() {
    List<String> offenders = new ArrayList<>();
    for (Path file : javaFiles(REPO)) {
      if (file.startsWith(MODULE)) {
        continue;
      }
      String code = codeOf(read(file));
      if (code.contains("dev.strata.core.internal.")) {
        offenders.add(REPO.relativize(file).toString());
      }
    }
    assertThat(offenders).as("files outside vector-core that use dev.strata.core.internal").isEmpty();
  }

  @Test
  void noSourceFilesDependOnEachOtherAroundACircle() {
    List<SourceFile> sources = javaFiles(MODULE.resolve("src/main/java")).stream().map(SourceFile::of).toList();
    List<List<String>> circles = circles(fileEdges(sources));
    assertThat(circles).as("files that import each other, directly or around a circle").isEmpty();
  }

  /** A fully qualified name in code and an import used only by javadoc are dependencies too. */
  @Test
  void aQualifiedNameOrAJavadocImportClosesACircle() {
    SourceFile value = SourceFile.parse("""
        package dev.strata.core;
        import dev.strata.core.snapshot.Recovery;
        /** See {@link Recovery}. */
        public final class Damaged {}
        """, "Damaged");
    SourceFile room = SourceFile.parse("""
        package dev.strata.core.snapshot;
        public final class Recovery {
          dev.strata.core.Damaged last;
        }
        """, "Recovery");
    assertThat(circles(fileEdges(List.of(value, room)))).hasSize(1);
    SourceFile plainValue = SourceFile.parse("""
        package dev.strata.core;
        /** See {@code snapshot.Recovery}. */
        public final class Damaged {}
        """, "Damaged");
    assertThat(circles(fileEdges(List.of(plainValue, room)))).isEmpty();
  }

  /**
   * Packages point one way: the values ({@code dev.strata.core}) depend on nothing of Strata's but
   * the kernels, {@code internal} on the values, the rooms ({@code monitor}, {@code snapshot}) on
   * both, the facade ({@code index}) on those, and the rooms that use the facade ({@code serving},
   * {@code live}, {@code compaction}, {@code promotion}) above it.
   */
  @Test
  void noPackagesDependOnEachOtherAroundACircle() {
    List<SourceFile> sources = javaFiles(MODULE.resolve("src/main/java")).stream().map(SourceFile::of).toList();
    assertThat(packageLoopEdges(fileEdges(sources))).as("package edges that close a loop").isEmpty();
  }

  @Test
  void packageLoopDetectionFindsALoopBetweenTwoPackages() {
    Map<String, Set<String>> files = new LinkedHashMap<>();
    files.put("dev.strata.core.a.A", Set.of("dev.strata.core.b.B"));
    files.put("dev.strata.core.b.B", Set.of("dev.strata.core.b.C"));
    files.put("dev.strata.core.b.C", Set.of("dev.strata.core.a.D"));
    files.put("dev.strata.core.a.D", Set.of());
    assertThat(circles(files)).as("no file loop").isEmpty();
    assertThat(packageLoopEdges(files)).containsExactlyInAnyOrder("a -> b", "b -> a");
  }

  /**
   * No public constructor outside {@code internal} takes an internal type: the API would then hand
   * out what it hides. The index and the serving room build snapshot views over a {@code
   * PinnedReader} and the history over a {@code SnapshotStore}, which the engine's side implements.
   */
  @Test
  void noPublicConstructorTakesAnInternalType() {
    Set<String> found = new java.util.TreeSet<>();
    for (Path file : javaFiles(MODULE.resolve("src/main/java"))) {
      found.addAll(publicConstructorsTakingInternalTypes(read(file), file.getFileName().toString().replace(".java", "")));
    }
    assertThat(found).as("public constructors whose parameters name an internal type").isEmpty();
  }

  @Test
  void theConstructorCheckCatchesAnInternalParameter() {
    String source = """
        package dev.strata.core.snapshot;
        import dev.strata.core.internal.engine.IndexEngine;
        public final class Leaky {
          public Leaky(String name, IndexEngine engine) {}
          public Leaky(String name) {}
          Leaky(IndexEngine engine, int hidden) {}
          public Leaky(dev.strata.core.internal.catalog.CommitData data) {}
        }
        """;
    assertThat(publicConstructorsTakingInternalTypes(source, "Leaky")).containsExactlyInAnyOrder(
        "dev.strata.core.snapshot.Leaky(String, IndexEngine)", "dev.strata.core.snapshot.Leaky(dev.strata.core.internal.catalog.CommitData)");
  }

  /** "package.Type(ParamType, ...)" for each public constructor of {@code type} that names an internal type. */
  static Set<String> publicConstructorsTakingInternalTypes(String text, String type) {
    Matcher pkg = PACKAGE.matcher(text);
    String packageName = pkg.find() ? pkg.group(1) : "";
    Set<String> found = new java.util.TreeSet<>();
    if (packageName.startsWith("dev.strata.core.internal")) {
      return found;
    }
    Set<String> internalTypes = new HashSet<>();
    Matcher imp = IMPORT.matcher(text);
    while (imp.find()) {
      if (imp.group(1) == null && imp.group(2).startsWith("dev.strata.core.internal.")) {
        internalTypes.add(imp.group(2).substring(imp.group(2).lastIndexOf('.') + 1));
      }
    }
    Matcher ctor = Pattern.compile("public\\s+" + type + "\\s*\\(([^)]*)\\)").matcher(codeOf(text));
    while (ctor.find()) {
      List<String> types = new ArrayList<>();
      boolean internal = false;
      for (String param : ctor.group(1).split(",(?![^<]*>)")) { // commas outside a generic's brackets
        String p = param.strip();
        if (p.isEmpty()) {
          continue;
        }
        String paramType = p.substring(0, p.lastIndexOf(' ')).strip().replaceAll("^final\\s+", "");
        types.add(paramType);
        String simple = paramType.replaceAll("<.*", "");
        internal |= internalTypes.contains(simple) || simple.startsWith("dev.strata.core.internal.");
      }
      if (internal) {
        found.add(packageName + "." + type + "(" + String.join(", ", types) + ")");
      }
    }
    return found;
  }

  private static Map<String, Set<String>> fileEdges(List<SourceFile> sources) {
    Map<String, SourceFile> byType = new HashMap<>();
    sources.forEach(source -> byType.put(source.qualifiedName(), source));
    Map<String, Set<String>> edges = new TreeMap<>();
    for (SourceFile source : sources) {
      edges.put(source.qualifiedName(), source.dependencies(byType));
    }
    return edges;
  }

  /** The package edges (short names under dev.strata.core) that lie on a loop of packages. */
  static Set<String> packageLoopEdges(Map<String, Set<String>> fileEdges) {
    Map<String, Set<String>> packages = new TreeMap<>();
    fileEdges.forEach((file, targets) -> {
      String from = packageOf(file);
      Set<String> out = packages.computeIfAbsent(from, p -> new java.util.TreeSet<>());
      targets.stream().map(ArchitectureTest::packageOf).filter(to -> !to.equals(from)).forEach(out::add);
    });
    Set<String> loopEdges = new java.util.TreeSet<>();
    for (List<String> loop : circles(packages)) {
      for (String from : loop) {
        packages.get(from).stream().filter(loop::contains).forEach(to -> loopEdges.add(from + " -> " + to));
      }
    }
    return loopEdges;
  }

  private static String packageOf(String qualifiedType) {
    String pkg = qualifiedType.substring(0, qualifiedType.lastIndexOf('.'));
    return pkg.equals("dev.strata.core") ? "core" : pkg.replace("dev.strata.core.", "");
  }

  @Test
  void circleDetectionFindsADirectAndAnIndirectLoop() {
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    edges.put("a", Set.of("b"));
    edges.put("b", Set.of("a"));
    edges.put("c", Set.of("d"));
    edges.put("d", Set.of("e"));
    edges.put("e", Set.of("c"));
    edges.put("f", Set.of("a"));
    assertThat(circles(edges)).hasSize(2);
  }

  @Test
  void mainSourceFilesStayReadable() {
    Map<String, Long> tooLong = new TreeMap<>();
    for (Path file : javaFiles(REPO)) {
      if (!file.toString().contains("/src/main/")) {
        continue;
      }
      long lines = read(file).lines().count();
      if (lines > MAX_MAIN_FILE_LINES) {
        tooLong.put(REPO.relativize(file).toString(), lines);
      }
    }
    assertThat(tooLong).as("main source files over " + MAX_MAIN_FILE_LINES + " lines").isEmpty();
  }

  /** The facade and the front door were cut to these once; new operations go behind sub-views and into docs/. */
  @Test
  void theFacadeAndTheReadmeStayWithinWhatTheyWereCutTo() throws Exception {
    Path facade = REPO.resolve("vector-core/src/main/java/dev/strata/core/index/VectorIndex.java");
    assertThat(read(facade).lines().count()).as("VectorIndex lines (move new operations behind a sub-view)")
        .isLessThanOrEqualTo(400);
    assertThat(java.nio.file.Files.size(REPO.resolve("README.md"))).as("README.md bytes (move detail to docs/)")
        .isLessThan(12_000);
  }

  /** One main source file: its package, its top-level type, and its code without comments or strings. */
  private record SourceFile(String packageName, String typeName, String code, String codeAndDocs, List<String[]> imports) {
    static SourceFile of(Path file) {
      return parse(read(file), file.getFileName().toString().replace(".java", ""));
    }

    static SourceFile parse(String text, String typeName) {
      Matcher pkg = PACKAGE.matcher(text);
      String packageName = pkg.find() ? pkg.group(1) : "";
      List<String[]> imports = new ArrayList<>();
      Matcher imp = IMPORT.matcher(text);
      while (imp.find()) {
        imports.add(new String[] {imp.group(1) == null ? "" : "static", imp.group(2)});
      }
      String code = IMPORT.matcher(codeOf(text)).replaceAll("");
      String codeAndDocs = IMPORT.matcher(withoutStrings(text)).replaceAll("");
      return new SourceFile(packageName, typeName, code, codeAndDocs, imports);
    }

    String qualifiedName() {
      return packageName + "." + typeName;
    }

    /**
     * The files of {@code byType} this one uses: by an import used in its code or its javadoc (an
     * import for a javadoc link is a dependency too), by fully qualified name in its code, or by
     * simple name in its own package.
     */
    Set<String> dependencies(Map<String, SourceFile> byType) {
      Set<String> tokens = new HashSet<>();
      Matcher m = TYPE_NAME.matcher(code);
      while (m.find()) {
        tokens.add(m.group());
      }
      Set<String> docTokens = new HashSet<>();
      Matcher d = TYPE_NAME.matcher(codeAndDocs);
      while (d.find()) {
        docTokens.add(d.group());
      }
      Set<String> uses = new HashSet<>();
      for (String[] imp : imports) {
        String name = imp[1];
        String used = name.substring(name.lastIndexOf('.') + 1);
        String target = name;
        if (imp[0].equals("static")) {
          target = name.substring(0, name.lastIndexOf('.'));
        }
        while (!byType.containsKey(target) && target.contains(".")) {
          target = target.substring(0, target.lastIndexOf('.')); // a nested type: its file
        }
        boolean usedInCode = imp[0].equals("static") ? code.contains(used) : docTokens.contains(used);
        if (byType.containsKey(target) && usedInCode) {
          uses.add(target);
        }
      }
      Matcher qualified = QUALIFIED.matcher(code);
      while (qualified.find()) {
        String target = qualified.group();
        while (!byType.containsKey(target) && target.contains(".")) {
          target = target.substring(0, target.lastIndexOf('.')); // a nested type: its file
        }
        if (byType.containsKey(target)) {
          uses.add(target);
        }
      }
      for (SourceFile other : byType.values()) {
        if (other.packageName.equals(packageName) && other != this && tokens.contains(other.typeName)) {
          uses.add(other.qualifiedName());
        }
      }
      uses.remove(qualifiedName());
      return uses;
    }
  }

  /** Strongly connected components of more than one node (Tarjan), each a circle of dependencies. */
  static List<List<String>> circles(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<List<String>> circles = new ArrayList<>();
    int[] counter = {0};
    for (String node : edges.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, edges, index, low, stack, onStack, circles, counter);
      }
    }
    return circles;
  }

  private static void connect(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> circles, int[] counter) {
    index.put(node, counter[0]);
    low.put(node, counter[0]++);
    stack.push(node);
    onStack.add(node);
    for (String next : edges.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, edges, index, low, stack, onStack, circles, counter);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        circles.add(component);
      }
    }
  }

  /** The text with string literals blanked, comments kept. */
  static String withoutStrings(String text) {
    return text.replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
  }

  /** The text with comments and string literals blanked: what the compiler reads as code. */
  static String codeOf(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", " ")
        .replaceAll("//[^\n]*", " ")
        .replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
  }

  static List<Path> javaFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> f.toString().contains("/src/"))
          .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
          .filter(f -> !f.getFileName().toString().equals("package-info.java"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
