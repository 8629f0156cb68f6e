package dev.strata.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses an output that would destroy an input: a file a command writes must not be a file it
 * reads (opening it for writing truncates it before a line is read), nor sit inside a directory
 * the command replaces or archives.
 */
final class OutputPaths {
  private OutputPaths() {}

  /** Throws if {@code output} and {@code input} name one file, through links or other spellings. */
  static void distinct(Path output, String outputOption, Path input, String inputOption) {
    if (sameFile(output, input)) {
      throw new IllegalArgumentException(outputOption + " " + output + " is the same file as " + inputOption + " "
          + input + ": writing it would destroy the input; name another file");
    }
  }

  /** Throws if {@code file} lies inside {@code directory} (which the command replaces or reads whole). */
  static void outside(Path file, String fileRole, Path directory, String directoryRole) {
    Path real = canonical(file);
    Path dir = canonical(directory);
    if (real.startsWith(dir)) {
      throw new IllegalArgumentException(fileRole + " " + file + " is inside " + directoryRole + " " + directory
          + "; put it elsewhere");
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + a + " with " + b, e);
    }
    return canonical(a).equals(canonical(b));
  }

  /** The real path where it exists (links resolved), else the absolute normalised one. */
  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return Files.exists(absolute) ? absolute.toRealPath() : canonicalParent(absolute);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }

  private static Path canonicalParent(Path absolute) throws IOException {
    Path parent = absolute.getParent();
    return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(absolute.getFileName()) : absolute;
  }
}
