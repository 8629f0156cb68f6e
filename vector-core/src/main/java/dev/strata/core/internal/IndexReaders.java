package dev.strata.core.internal;

import dev.strata.core.IndexSchema;
import dev.strata.core.IndexStats;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * The read side of an open index: one searcher on the latest commit, shared by every search and
 * refreshed after each commit, each built with its commit's manifest (read once, not per query).
 */
final class IndexReaders implements Closeable {
  private static final System.Logger LOG = System.getLogger(IndexReaders.class.getName());

  private final Path path;
  private final Directory directory;
  private final IndexSchema schema;
  private final SearcherManager searchers;

  IndexReaders(Path path, Directory directory, IndexSchema schema) throws IOException {
    this.path = path;
    this.directory = directory;
    this.schema = schema;
    this.searchers = new SearcherManager(directory, new SnapshotSearcherFactory());
  }

  /** Runs {@code call} on the current snapshot's searcher, which it holds for the call only. */
  <T> T withSearcher(String failureMessage, SearcherCall<T> call) {
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException e) {
      throw Failures.of("cannot acquire a searcher on index " + path, e);
    }
    try {
      return call.apply((SnapshotSearcher) searcher);
    } catch (IOException e) {
      throw Failures.of(failureMessage, e);
    } finally {
      try {
        searchers.release(searcher);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot release a searcher on index " + path, e);
      }
    }
  }

  /** Opens a searcher on the latest commit if it changed (blocking until it is open). */
  void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw Failures.of("cannot refresh index " + path, e);
    }
  }

  /** Counts and sizes of the latest committed snapshot. */
  IndexStats stats() {
    return withSearcher("cannot read stats of index " + path, searcher -> {
      IndexReader reader = searcher.getIndexReader();
      return IndexStats.builder()
          .docs(reader.numDocs())
          .deletedDocs(reader.numDeletedDocs())
          .segments(reader.leaves().size())
          .graphlessSegments(searcher.graphlessSegments())
          .bytes(bytesOnDisk())
          .schema(schema)
          .snapshot(searcher.snapshot())
          .metadataFields(searcher.metadataTypes().asMap())
          .counters(PersistentCounters.read(
              reader instanceof DirectoryReader d ? d.getIndexCommit().getUserData() : Map.of()))
          .build();
    });
  }

  private long bytesOnDisk() throws IOException {
    long bytes = 0;
    for (String file : directory.listAll()) {
      try {
        bytes += directory.fileLength(file);
      } catch (NoSuchFileException e) {
        // deleted by a merge or commit between listAll and fileLength: it no longer counts
      }
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    searchers.close();
  }

  private static final class SnapshotSearcherFactory extends SearcherFactory {
    @Override
    public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) throws IOException {
      return new SnapshotSearcher((DirectoryReader) reader);
    }
  }
}
