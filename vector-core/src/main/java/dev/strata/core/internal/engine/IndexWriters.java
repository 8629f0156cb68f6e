package dev.strata.core.internal.engine;

import dev.strata.core.IndexLockedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.catalog.CommitPoints;
import dev.strata.core.internal.catalog.PersistentCounters;
import dev.strata.core.internal.catalog.TagCatalog;
import dev.strata.core.internal.codecs.Codecs;
import dev.strata.core.internal.codecs.CompactionOnlyMergePolicy;
import dev.strata.core.internal.codecs.DiskRoomMergePolicy;
import dev.strata.core.internal.codecs.FlatFlushes;
import dev.strata.core.internal.codecs.GraphBuildingMergePolicy;
import dev.strata.core.internal.codecs.RetentionDeletionPolicy;
import dev.strata.core.internal.codecs.StrataMergeScheduler;
import dev.strata.core.internal.codecs.VectorOrderMergePolicy;
import dev.strata.core.internal.records.FullText;
import dev.strata.core.internal.records.MetadataTypes;
import dev.strata.core.internal.records.RecordDigests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.InfoStream;
import org.apache.lucene.util.PrintStreamInfoStream;

/**
 * How Strata configures, opens and first commits Lucene's {@link IndexWriter}: one place for the
 * codec, retention, merge policy and scheduler, shared by the engine, index creation and recovery.
 */
public final class IndexWriters {
  /**
   * Every segment is one more HNSW graph a search must visit: half of Lucene's default segments
   * per tier keeps that number low between compactions, at the price of more (incremental, since
   * Lucene 10 merges into the largest graph) merging while writing.
   */
  public static final int SEGMENTS_PER_TIER = 5;

  private IndexWriters() {}

  /** Writes an empty index's first commit, snapshot 1, into {@code directory}. */
  public static SnapshotInfo createEmpty(Path path, Directory directory, IndexSchema schema, IndexOptions options)
      throws IOException {
    IndexWriterConfig config = config(path, schema, options, new FlatFlushes(options)).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      SnapshotInfo first =
          new SnapshotInfo(1, 0, options.clock().instant(), 0, "create index", RecordDigests.format(0), null);
      PersistentCounters counters = PersistentCounters.from(Map.of());
      counters.committing();
      writer.setLiveCommitData(counters.writeTo(CommitData.encode(schema, first, MetadataTypes.EMPTY)).entrySet());
      writer.commit();
      return first;
    }
  }

  /**
   * Opens the writer on the latest commit, or on {@code commit} (a rollback). Damaged commit points
   * other than the one opened are moved aside first (Lucene's writer reads every commit point and
   * would refuse to open): an old damaged snapshot never blocks the head. The latest one is never
   * moved unless {@code commit} names another (a recovery): that would roll back in silence.
   */
  public static IndexWriter open(
      Path path, Directory directory, IndexSchema schema, IndexOptions options, IndexCommit commit)
      throws IOException {
    return open(path, directory, schema, options, commit, new FlatFlushes(options));
  }

  /** {@link #open(Path, Directory, IndexSchema, IndexOptions, IndexCommit)}, flushing flat when {@code flat} says. */
  public static IndexWriter open(
      Path path, Directory directory, IndexSchema schema, IndexOptions options, IndexCommit commit, FlatFlushes flat)
      throws IOException {
    List<String> segmentsFiles = CommitPoints.segmentsFiles(directory);
    String opened = commit != null ? commit.getSegmentsFileName() : segmentsFiles.isEmpty() ? null : segmentsFiles.getLast();
    CommitPoints.quarantine(path, directory, opened);
    try {
      return new IndexWriter(
          directory,
          config(path, schema, options, flat)
              .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
              .setIndexCommit(commit)
              .setMergeScheduler(new StrataMergeScheduler())); // a closed writer closes its scheduler
    } catch (LockObtainFailedException e) {
      throw new IndexLockedException(path, e);
    }
  }

  /**
   * Commits, through {@code writer} opened on {@code target}, snapshot {@code nextId} holding
   * {@code target}'s records, its message saying what it rolled back to: the one step a rollback
   * and a recovery share.
   */
  public static SnapshotInfo commitRollback(IndexWriter writer, Path path, IndexSchema schema, IndexCommit target,
      String idOrTag, long nextId, PersistentCounters counters, String what, IndexOptions options)
      throws IOException {
    SnapshotInfo targetInfo = CommitData.snapshot(target.getUserData());
    String label = idOrTag.equals(Long.toString(targetInfo.id())) ? "" : " (" + idOrTag + ")";
    SnapshotInfo next = new SnapshotInfo(nextId, nextId - 1, options.clock().instant(), targetInfo.liveCount(),
        what + " to snapshot " + targetInfo.id() + label, targetInfo.recordDigest(), targetInfo.sourceSha256());
    counters.committing();
    counters.rollingBack();
    writer.setLiveCommitData(TagCatalog.recordIn(counters.writeTo(
        CommitData.encode(schema, next, CommitData.metadataTypes(target.getUserData()))), path).entrySet());
    writer.commit();
    return next;
  }

  private static IndexWriterConfig config(Path path, IndexSchema schema, IndexOptions options, FlatFlushes flat) {
    return new IndexWriterConfig(FullText.analyzer())
        .setCodec(Codecs.forSchema(schema, flat, options.mergeWorkers()))
        .setIndexDeletionPolicy(new RetentionDeletionPolicy(path, options.retention(), options.clock()))
        .setRAMBufferSizeMB(options.ramBufferMb())
        .setMergePolicy(vectorOrder(schema, options, new GraphBuildingMergePolicy(new DiskRoomMergePolicy(
            options.backgroundMerges() ? mergePolicy() : new CompactionOnlyMergePolicy(mergePolicy()), path),
            flat::bulkLoading)))
        .setCommitOnClose(false)
        // -Dstrata.lucene.infoStream=true: Lucene's own account of flushes and merges, on stderr
        .setInfoStream(Boolean.getBoolean("strata.lucene.infoStream")
            ? new PrintStreamInfoStream(System.err) : InfoStream.NO_OUTPUT);
  }

  private static MergePolicy vectorOrder(IndexSchema schema, IndexOptions options, MergePolicy in) {
    return options.vectorOrder() ? VectorOrderMergePolicy.forDimension(in, schema.dimension(), options.mergeWorkers()) : in;
  }

  private static TieredMergePolicy mergePolicy() {
    return new TieredMergePolicy()
        .setSegmentsPerTier(SEGMENTS_PER_TIER)
        .setForceMergeDeletesPctAllowed(0); // expunge means every deletion, not most
  }
}
