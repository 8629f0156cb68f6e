package dev.strata.admin;

import java.nio.file.Files;
import java.nio.file.Path;

/** The one check every file a command reads goes through, so each kind of wrong path gets its own clear line. */
final class InputFiles {
  private InputFiles() {}

  /**
   * Refuses anything but a regular file: a directory, a FIFO or a device would fail deep inside
   * the reader, hang on an endless stream, or (a FIFO) be read once where its digest needs it whole.
   *
   * @param role what the file is, for the message ("input file", "query file")
   */
  static void requireRegularFile(Path file, String role) {
    if (Files.isRegularFile(file)) {
      return;
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(role + " not found: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(role + " not found: " + file + " is a directory; name a file");
    }
    throw new IllegalArgumentException(role + " " + file + " is not a regular file (a FIFO, socket or device);"
        + " write the stream to a file first");
  }
}
