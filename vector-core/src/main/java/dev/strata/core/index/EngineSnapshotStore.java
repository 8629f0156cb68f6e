package dev.strata.core.index;

import dev.strata.core.PinnedReader;
import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.engine.IndexEngine;
import dev.strata.core.internal.search.PinnedSearcher;
import dev.strata.core.internal.search.SnapshotSearcher;
import dev.strata.core.snapshot.SnapshotStore;
import dev.strata.core.snapshot.SnapshotSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;

/** The engine as its history sees it: the snapshot room never names the engine. */
final class EngineSnapshotStore implements SnapshotStore {
  private static final VectorSource OWN_VECTORS = VectorSource.unchecked("a revert restores the index's own earlier vectors");

  private final IndexEngine engine;

  EngineSnapshotStore(IndexEngine engine) {
    this.engine = engine;
  }

  @Override
  public Path path() {
    return engine.path();
  }

  @Override
  public Directory directory() {
    return engine.directory();
  }

  @Override
  public IndexCommit commitFor(String idOrTag) {
    return engine.commitFor(idOrTag);
  }

  @Override
  public void checkBeforeServing(IndexCommit commit) throws IOException {
    engine.checkBeforeServing(commit);
  }

  @Override
  public List<SnapshotSummary> list() throws IOException {
    engine.ensureOpen();
    return engine.catalog().list().stream()
        .map(l -> new SnapshotSummary(l.info(), l.deletedDocs(), l.tags(), l.pinnedBytes(), l.modelFingerprint(), l.writer()))
        .toList();
  }

  @Override
  public List<String> unreadableCommitPoints() throws IOException {
    engine.ensureOpen();
    return engine.catalog().damaged().stream().map(d -> d.file() + ": " + d.problem()).toList();
  }

  @Override
  public PinnedReader open(IndexCommit commit) throws IOException {
    return new PinnedSearcher(engine.searchRunner(), new SnapshotSearcher(DirectoryReader.open(commit)), null);
  }

  @Override
  public long latestSnapshotId() {
    return engine.withSearcher("cannot read index " + engine.path(), s -> s.snapshot().id());
  }

  @Override
  public boolean hasBufferedWrites() {
    return engine.hasBufferedWrites();
  }

  @Override
  public SnapshotInfo commitRevert(List<String> toDelete, List<Record> toRestore, String message) {
    if (!toDelete.isEmpty()) {
      engine.deleteIds(toDelete);
    }
    if (!toRestore.isEmpty()) {
      engine.ingest(toRestore, OWN_VECTORS, null, true); // vectors kept bit for bit
    }
    return engine.commit(message, null, true, true);
  }

  @Override
  public SnapshotInfo rollbackTo(String idOrTag) {
    return engine.rollbackTo(idOrTag);
  }

  @Override
  public void tag(String idOrTag, String tag) throws IOException {
    engine.ensureOpen();
    engine.catalog().tag(idOrTag, tag);
  }

  @Override
  public void untag(String tag) {
    engine.ensureOpen();
    engine.catalog().untag(tag);
  }
}
