package dev.strata.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One line for a file-system failure: which file and why, as an operator reads it, not a stack trace. */
final class IoErrors {
  private IoErrors() {}

  /** The file-system failure behind {@code e}, or null when it is something else. */
  static FileSystemException fileSystemCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException fs) {
        return fs;
      }
    }
    return null;
  }

  /** Whether {@code e} is an I/O failure (its message says which file and why; a trace would add nothing). */
  static boolean isIo(Throwable e) {
    return e instanceof IOException || e instanceof UncheckedIOException || fileSystemCause(e) != null;
  }

  /** Why {@code e} failed, in words: "permission denied", "no space left on device". */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code what} failed on {@code file} because of {@code e}, as one unchecked error. */
  static UncheckedIOException failed(String what, java.nio.file.Path file, IOException e) {
    return new UncheckedIOException(what + " " + file + ": " + reason(e), e);
  }
}
