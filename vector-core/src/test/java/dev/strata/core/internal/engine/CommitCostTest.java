package dev.strata.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.IndexEngines;
import dev.strata.core.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit fsyncs what it wrote and the directory, not the whole index: Lucene's writer asks to
 * sync every file of every segment at each commit, so a one-record commit would cost more fsyncs
 * the larger the index grew.
 */
class CommitCostTest {
  @TempDir Path dir;

  @Test
  void aOneRecordCommitSyncsItsNewSegmentWhateverTheIndexHolds() throws IOException {
    VectorIndex.create(dir, IndexSchema.builder(8, Similarity.COSINE).build()).close();
    List<Integer> filesSynced = new ArrayList<>();
    List<Integer> directorySyncs = new ArrayList<>();
    int[] files = {0};
    int[] dirs = {0};
    FilterDirectory counting = new FilterDirectory(FSDirectory.open(dir)) {
      @Override
      public void sync(Collection<String> names) throws IOException {
        files[0] += names.size();
        super.sync(names);
      }

      @Override
      public void syncMetaData() throws IOException {
        dirs[0]++;
        super.syncMetaData();
      }
    };
    IndexOptions noMerges = IndexOptions.builder().backgroundMerges(false).scrubBytesPerSecond(0).build();
    try (VectorIndex index = IndexEngines.over(new IndexEngine(dir, counting, noMerges))) {
      Random random = new Random(5);
      for (int commit = 0; commit < 30; commit++) {
        files[0] = 0;
        dirs[0] = 0;
        float[] v = new float[8];
        for (int d = 0; d < 8; d++) {
          v[d] = (float) random.nextGaussian();
        }
        index.upsert(Record.of("r" + commit, v, "text " + commit));
        index.commit("commit " + commit);
        filesSynced.add(files[0]);
        directorySyncs.add(dirs[0]);
      }
      assertThat(index.stats().segments()).as("no merges: one segment per commit").isEqualTo(30);
    }
    // A flushed one-record segment is a compound file (.cfs, .cfe, .si) plus pending_segments_N.
    assertThat(filesSynced).as("files fsynced per commit").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
    assertThat(directorySyncs).as("directory fsyncs per commit (Lucene's two)").allSatisfy(n -> assertThat(n).isEqualTo(2));
  }
}
