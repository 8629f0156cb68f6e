package dev.strata.core.testing;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds public API without a javadoc comment, from the sources (parsed only, never compiled), in
 * the way of Lucene's missing-doclet: at {@link Level#TYPE} every public type needs one, at {@link
 * Level#METHOD} also every public or protected method and constructor of a public type, except
 * overrides (they inherit their comment) and getters and setters of a documented field (a
 * properties class's), and records' constructors (the record's {@code @param} tags document
 * them). Fields, enum constants and {@code @param}/{@code
 * @return} tags are left to the javadoc tool's doclint, which the build runs on its own.
 */
public final class JavadocCoverage {
  /** How much of the public API must carry a comment. */
  public enum Level {
    TYPE,
    METHOD
  }

  private JavadocCoverage() {}

  /** Every undocumented declaration under {@code sourceRoot}, as {@code File.java:line kind name}. */
  public static List<String> missing(Path sourceRoot, Level level) throws IOException {
    return missing(sourceRoot, level, "");
  }

  /**
   * As {@link #missing(Path, Level)}, leaving out a package named {@code excludedPackage} and its
   * sub-packages (an {@code internal} package is no API: the build refuses its use elsewhere).
   */
  public static List<String> missing(Path sourceRoot, Level level, String excludedPackage) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> missing = new ArrayList<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, null);
        Stream<Path> walk = Files.walk(sourceRoot)) {
      List<Path> sources = walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java"))
          .filter(p -> excludedPackage.isEmpty() || !underPackage(sourceRoot.relativize(p), excludedPackage))
          .sorted().toList();
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      JavacTask task = (JavacTask) compiler.getTask(null, files, null, List.of("-proc:none"), null, units);
      DocTrees docs = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        new Scanner(unit, docs, level, missing).scan(new TreePath(unit), null);
      }
    }
    return missing;
  }

  /** Whether {@code file} lies in a package named {@code name} or in one of its sub-packages. */
  private static boolean underPackage(Path file, String name) {
    for (int i = 0; i < file.getNameCount() - 1; i++) {
      if (file.getName(i).toString().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final DocTrees docs;
    private final Level level;
    private final List<String> missing;

    Scanner(CompilationUnitTree unit, DocTrees docs, Level level, List<String> missing) {
      this.unit = unit;
      this.docs = docs;
      this.level = level;
      this.missing = missing;
    }

    private final java.util.ArrayDeque<java.util.Set<String>> documentedFields = new java.util.ArrayDeque<>();

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      if (!isPublicApi(type.getModifiers(), getCurrentPath())) {
        return null; // nothing inside a non-public type is public API
      }
      check(type, "type " + type.getSimpleName());
      documentedFields.push(documentedFields(type));
      try {
        return super.visitClass(type, unused);
      } finally {
        documentedFields.pop();
      }
    }

    /** Fields with a comment: their getters and setters need none of their own (a properties class's). */
    private java.util.Set<String> documentedFields(ClassTree type) {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (Tree member : type.getMembers()) {
        if (member instanceof com.sun.source.tree.VariableTree field
            && docs.getDocCommentTree(new TreePath(getCurrentPath(), field)) != null) {
          names.add(field.getName().toString().toLowerCase(Locale.ROOT));
        }
      }
      return names;
    }

    private boolean isAccessorOfDocumentedField(MethodTree method) {
      String name = method.getName().toString();
      for (String prefix : List.of("get", "set", "is")) {
        if (name.length() > prefix.length() && name.startsWith(prefix)
            && documentedFields.peek().contains(name.substring(prefix.length()).toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      boolean recordConstructor = method.getName().contentEquals("<init>")
          && getCurrentPath().getParentPath().getLeaf().getKind() == Tree.Kind.RECORD;
      if (level == Level.METHOD && isPublicApi(method.getModifiers(), getCurrentPath()) && !overrides(method)
          && !isAccessorOfDocumentedField(method) && !recordConstructor) {
        String name = method.getName().contentEquals("<init>") ? "constructor" : "method " + method.getName();
        check(method, name);
      }
      return null; // no API inside a method body
    }

    private void check(Tree declaration, String what) {
      if (docs.getDocCommentTree(getCurrentPath()) == null) {
        long line = unit.getLineMap().getLineNumber(docs.getSourcePositions().getStartPosition(unit, declaration));
        missing.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ":" + line + " " + what);
      }
    }

    /** Public or protected, in an enclosing chain of public types (interface members are public). */
    private static boolean isPublicApi(ModifiersTree modifiers, TreePath path) {
      boolean inInterface = path.getParentPath().getLeaf() instanceof ClassTree parent
          && (parent.getKind() == Tree.Kind.INTERFACE || parent.getKind() == Tree.Kind.ANNOTATION_TYPE);
      boolean visible = modifiers.getFlags().contains(Modifier.PUBLIC) || modifiers.getFlags().contains(Modifier.PROTECTED)
          || (inInterface && !modifiers.getFlags().contains(Modifier.PRIVATE));
      return visible;
    }

    private static boolean overrides(MethodTree method) {
      return method.getModifiers().getAnnotations().stream()
          .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
    }
  }
}
