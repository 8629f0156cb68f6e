package dev.strata.core.serving;

import dev.strata.core.IndexNotFoundException;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One open, memory-mapped {@link Directory} per index path for a handle's readers, reference
 * counted: a swap back and forth between two indexes reopens neither, and the last reader on a
 * path closes it. Thread-safe.
 */
final class DirectoryPool {
  private static final System.Logger LOG = System.getLogger(DirectoryPool.class.getName());

  private final Map<Path, Shared> open = new HashMap<>(); // guarded by itself

  /** The directory of {@code target}, opened if no reader holds it; release it when done. */
  Shared open(Path target) {
    if (!Files.isDirectory(target)) {
      throw new IndexNotFoundException(target, "no such directory");
    }
    synchronized (open) {
      Shared existing = open.get(target);
      if (existing != null) {
        return existing.retain();
      }
      try {
        MMapDirectory mapped = new MMapDirectory(target);
        // Touch every page when a file is opened, on the swapping thread: otherwise the first
        // queries on a new view would take the page faults of freshly mapped files.
        mapped.setPreload(MMapDirectory.ALL_FILES);
        Shared opened = new Shared(target, mapped);
        open.put(target, opened);
        return opened;
      } catch (IOException e) {
        throw new StrataException("cannot open index directory " + target + ": " + e, e);
      }
    }
  }

  /** One open directory and the references on it. */
  final class Shared {
    private final Path path;
    private final Directory directory;
    private final dev.strata.core.internal.catalog.SegmentChecksums checksums;
    private int references = 1; // guarded by open

    private Shared(Path path, Directory directory) {
      this.path = path;
      this.directory = directory;
      this.checksums = new dev.strata.core.internal.catalog.SegmentChecksums(path);
    }

    Directory directory() {
      return directory;
    }

    /** What verifies files before they serve: each file once while the directory stays open. */
    dev.strata.core.internal.catalog.SegmentChecksums checksums() {
      return checksums;
    }

    Shared retain() {
      synchronized (open) {
        references++;
        return this;
      }
    }

    void release() {
      synchronized (open) {
        if (--references > 0) {
          return;
        }
        open.remove(path);
      }
      try {
        IOUtils.close(directory);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot close index directory " + path, e);
      }
    }
  }
}
