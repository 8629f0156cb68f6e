package dev.strata.core.index;

import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.OwnerOnlyFiles;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.internal.engine.IndexWriters;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.snapshot.SnapshotArchives;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The engine behind {@link VectorIndex#create} and {@link VectorIndex#open}: the checks on the
 * directory, its creation, and a directory closed again when the engine cannot be made.
 */
final class EngineOpening {
  private EngineOpening() {}

  /** A new index's engine in {@code path}, which must be absent or an empty directory. */
  static IndexEngine create(Path path, IndexSchema schema, IndexOptions options) {
    if (options.readOnly()) {
      throw new IllegalArgumentException("cannot create an index read-only");
    }
    try {
      if (Files.exists(path)) {
        if (!Files.isDirectory(path)) {
          throw new IndexAlreadyExistsException(path, "it is a file");
        }
        try (Stream<Path> entries = Files.list(path)) {
          if (entries.findAny().isPresent()) {
            throw new IndexAlreadyExistsException(
                path, looksLikeIndex(path) ? "an index exists there" : "the directory is not empty");
          }
        }
      }
      OwnerOnlyFiles.createDirectories(path); // 0700: it will hold the corpus' texts
      Directory directory = FSDirectory.open(path);
      try {
        IndexWriters.createEmpty(path, directory, schema, options);
        return new IndexEngine(path, directory, options);
      } catch (IOException | RuntimeException e) {
        directory.close();
        throw e;
      }
    } catch (IOException e) {
      throw Failures.of("cannot create index at " + path, e);
    }
  }

  /** An existing index's engine. */
  static IndexEngine open(Path path, IndexOptions options) {
    SnapshotArchives.recoverInterruptedImport(path);
    if (!Files.isDirectory(path)) {
      throw new IndexNotFoundException(path, "no such directory");
    }
    try {
      Directory directory = FSDirectory.open(path);
      try {
        if (!DirectoryReader.indexExists(directory)) {
          throw new IndexNotFoundException(path, "the directory holds no committed index");
        }
        return new IndexEngine(path, directory, options);
      } catch (IOException | RuntimeException e) {
        directory.close();
        throw e;
      }
    } catch (CorruptIndexException | NoSuchFileException | EOFException e) {
      throw new IndexDamagedException(path, e);
    } catch (IOException e) {
      throw Failures.of("cannot open index at " + path, e);
    }
  }

  static boolean looksLikeIndex(Path path) {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Directory directory = FSDirectory.open(path)) {
      return DirectoryReader.indexExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
