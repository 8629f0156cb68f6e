package dev.strata.core.internal.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.engine.IndexWriters;
import dev.strata.core.internal.io.DiskRoom;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.InfoStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lucene's natural merges start only where the disk has room for them: a merge that fills the disk
 * takes the buffered writes with the writer. Asked on a real index of many small segments.
 */
class DiskRoomMergePolicyTest {
  @TempDir Path dir;

  @Test
  void aNaturalMergeThatWouldNotFitIsLeftOutAndRunsOnceThereIsRoom() throws Exception {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(4, Similarity.EUCLIDEAN).build(),
        IndexOptions.builder().backgroundMerges(false).build())) {
      for (int i = 0; i < 12; i++) {
        index.upsertAll(List.of(Record.of("r" + i, new float[] {i, 1, 2, 3})));
        index.commit("segment " + i);
      }
    }
    try (Directory directory = FSDirectory.open(path)) {
      SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
      assertThat(infos.size()).isGreaterThanOrEqualTo(12);
      long sum = 0;
      for (SegmentCommitInfo info : infos) {
        sum += info.sizeInBytes();
      }
      long total = sum;
      MergePolicy tiered = new TieredMergePolicy().setSegmentsPerTier(IndexWriters.SEGMENTS_PER_TIER);
      assertThat(new DiskRoomMergePolicy(tiered, path, () -> Long.MAX_VALUE).findMerges(MergeTrigger.COMMIT, infos,
          context())).as("with room, Lucene merges").isNotNull();
      assertThat(new DiskRoomMergePolicy(tiered, path, () -> total / 10).findMerges(MergeTrigger.COMMIT, infos,
          context())).as("without room, no merge starts").isNull();
      MergePolicy.MergeSpecification some = new DiskRoomMergePolicy(tiered, path, () -> total).findMerges(
          MergeTrigger.COMMIT, infos, context());
      long planned = 0;
      for (MergePolicy.OneMerge merge : some == null ? List.<MergePolicy.OneMerge>of() : some.merges) {
        for (SegmentCommitInfo info : merge.segments) {
          planned += (long) (info.sizeInBytes() * DiskRoom.MERGE_HEADROOM);
        }
      }
      assertThat(planned).as("what does start fits, with its headroom").isLessThanOrEqualTo(total);
    }
  }

  private static MergePolicy.MergeContext context() {
    return new MergePolicy.MergeContext() {
      @Override
      public int numDeletesToMerge(SegmentCommitInfo info) {
        return 0;
      }

      @Override
      public int numDeletedDocs(SegmentCommitInfo info) {
        return 0;
      }

      @Override
      public InfoStream getInfoStream() {
        return InfoStream.NO_OUTPUT;
      }

      @Override
      public Set<SegmentCommitInfo> getMergingSegments() {
        return Set.of();
      }
    };
  }
}
