package dev.strata.admin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Scratch directories a command made for itself and removes when it is done. */
final class WorkDirectories {
  private WorkDirectories() {}

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(visited);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
