package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.index.IndexEngines;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.engine.IndexEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tragic error (a full disk) closes Lucene's writer and takes every write buffered since the last
 * commit with it, whoever hit it: a compaction's merge, a bulk load's background graph build, or
 * one writer's flush while others had buffered writes too. Strata reopens the writer at that
 * commit; the next commit must be refused, saying those writes are gone, instead of committing the
 * rest as if they were there; once they are written again they must all be there.
 */
class LostBufferedWritesTest {
  private static final int DIM = 16;

  @TempDir Path dir;
  private FillingDirectory directory;

  /** Fails new files with "No space left on device" while full; merge threads may also be held at the door. */
  static final class FillingDirectory extends FilterDirectory {
    volatile boolean full;
    volatile CountDownLatch mergesHeldUntil;

    FillingDirectory(Directory in) {
      super(in);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      CountDownLatch gate = mergesHeldUntil;
      if (gate != null && context.context() == IOContext.Context.MERGE) {
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (full) {
        throw new IOException("No space left on device (writing " + name + ")");
      }
      return super.createOutput(name, context);
    }
  }

  /** A new index at {@code path}, reopened on a {@link FillingDirectory} (kept in {@link #directory}). */
  private VectorIndex openOnFillingDirectory(Path path, IndexOptions options) throws IOException {
    VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), options).close();
    directory = new FillingDirectory(FSDirectory.open(path));
    return IndexEngines.over(new IndexEngine(path, directory, options));
  }

  @Test
  void aCompactionThatFillsTheDiskMakesTheNextCommitSayTheBufferedWritesAreLost() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).build();
    try (VectorIndex index = openOnFillingDirectory(path, options)) {
      index.upsertAll(records("a", 300));
      index.commit("a");
      index.upsertAll(records("b", 300));
      long committed = index.commit("b").id();
      index.upsertAll(records("c", 100)); // buffered, acknowledged by no commit yet

      directory.full = true;
      assertThatThrownBy(() -> new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build()))
          .isInstanceOf(StrataException.class).hasMessageContaining("No space left on device");
      directory.full = false;

      index.upsertAll(records("d", 10)); // written on: writes are not refused, the next commit is
      assertCommitRefusedOnceThenWritesGoOn(index, committed, 700);
    }
  }

  @Test
  void aLiveIndexWritesItsKeptWritesAgainWhenTheyWentWithTheWriter() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).build();
    VectorIndex index = openOnFillingDirectory(path, options);
    try (dev.strata.core.live.LiveIndex live =
        dev.strata.core.live.LiveIndex.of(index, dev.strata.core.live.CommitPolicy.explicit())) {
      live.upsertAll(records("a", 300), null);
      live.flush();
      live.upsertAll(records("b", 300), null);
      long committed = live.flush().id();
      live.upsertAll(records("c", 100), null); // acknowledged by the next flush, not yet

      directory.full = true;
      assertThatThrownBy(() -> new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build()))
          .isInstanceOf(StrataException.class);
      directory.full = false;

      assertThat(live.read(VectorIndex::latestSnapshot).id()).isEqualTo(committed);
      assertThat(live.flush().liveCount()).as("c, lost with the writer, written again from the live index's keeping")
          .isEqualTo(700);
      assertThat(live.<Boolean>read(i -> i.contains("c-99"))).isTrue();

      // Still full when the round commits: the replay's commit fails and says so; nothing is acknowledged.
      live.upsertAll(records("d", 50), null);
      directory.full = true;
      assertThatThrownBy(() -> new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build()))
          .isInstanceOf(StrataException.class);
      assertThatThrownBy(live::flush).isInstanceOf(StrataException.class);
      directory.full = false;
    } finally {
      index.close();
    }
  }

  @Test
  void aWriteWhoseFlushFillsTheDiskFailsSayingSoAndTheNextCommitIsRefusedForTheOtherWritesItTook() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).ramBufferMb(1).build();
    try (VectorIndex index = openOnFillingDirectory(path, options)) {
      index.upsertAll(records("a", 300));
      long committed = index.commit("a").id();
      index.upsertAll(records("c", 100)); // one writer's, buffered

      directory.full = true;
      assertThatThrownBy(() -> index.upsertAll(records("big", 20_000))) // another's, which must flush
          .isInstanceOf(StrataException.class)
          .hasMessageContaining("the writes buffered since snapshot " + committed + " are lost");
      directory.full = false;

      index.upsertAll(records("d", 10)); // written on, on the reopened writer
      assertCommitRefusedOnceThenWritesGoOn(index, committed, 300 + 100);
    }
  }

  @Test
  void aBackgroundGraphBuildThatFillsTheDiskMakesTheNextCommitSayTheWritesBufferedMeanwhileAreLost() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(1_000).backgroundMerges(false).build();
    try (VectorIndex index = openOnFillingDirectory(path, options)) {
      CountDownLatch release = new CountDownLatch(1);
      directory.mergesHeldUntil = release;
      index.upsertAll(records("a", 3_000)); // a bulk load: flat segments, a graph build after its commit
      long committed = index.commit("bulk load").id();
      assertThat(index.stats().graphBuildRunning()).isTrue();
      assertThat(index.stats().graphlessSegments()).isPositive();
      index.upsertAll(records("c", 100)); // buffered while the build's merge waits at the door

      directory.full = true;
      release.countDown();
      assertThat(index.awaitGraphBuild(Duration.ofSeconds(60))).isTrue();
      directory.mergesHeldUntil = null;
      directory.full = false;
      assertThat(index.stats().graphlessSegments()).as("the build failed").isPositive();

      index.upsertAll(records("d", 10));
      assertCommitRefusedOnceThenWritesGoOn(index, committed, 3_100);
    }
    try (VectorIndex reopened = VectorIndex.open(path, options)) {
      assertThat(reopened.awaitGraphBuild(Duration.ofSeconds(60))).isTrue();
      assertThat(reopened.stats().graphlessSegments()).isZero();
      assertThat(reopened.stats().docs()).isEqualTo(3_110);
      assertThat(reopened.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
    }
  }

  /**
   * With "d-*" written after the loss: the next commit is refused saying so and commits nothing;
   * with the lost "c-*" written again, the one after holds both.
   */
  private static void assertCommitRefusedOnceThenWritesGoOn(VectorIndex index, long committed, int expectedLive) {
    assertThatThrownBy(() -> index.commit("c and d"))
        .isInstanceOf(StrataException.class)
        .hasMessageContaining("commit refused")
        .hasMessageContaining("the writes buffered since snapshot " + committed + " were lost")
        .hasMessageContaining("No space left on device");
    assertThat(index.latestSnapshot().id()).as("the refused commit made no snapshot").isEqualTo(committed);

    index.upsertAll(records("c", 100)); // the lost writes, written again, as the error asks
    assertThat(index.commit("c and d").liveCount()).isEqualTo(expectedLive + 10);
    assertThat(index.get("c-99")).isPresent();
    assertThat(index.get("d-9")).as("written after the loss, kept buffered through the refusal").isPresent();
  }

  private static List<Record> records(String prefix, int count) {
    Random random = new Random(prefix.hashCode());
    List<Record> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      records.add(Record.of(prefix + "-" + i, v));
    }
    return records;
  }
}
