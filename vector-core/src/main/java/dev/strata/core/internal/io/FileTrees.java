package dev.strata.core.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole directory trees that Strata itself created: staging directories, failed builds. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
  /** Whether {@code dir} holds no entries. */
  public static boolean isEmpty(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
