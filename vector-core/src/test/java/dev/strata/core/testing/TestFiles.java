package dev.strata.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Index directories copied and removed by tests: one copy of these helpers, not one per test. */
public final class TestFiles {
  private TestFiles() {}

  /** Copies the files of {@code from} (an index directory: no subdirectories) into {@code to}, created; returns {@code to}. */
  public static Path copyIndex(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
    return to;
  }

  /** Deletes {@code path} and everything under it. */
  public static void deleteTree(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
