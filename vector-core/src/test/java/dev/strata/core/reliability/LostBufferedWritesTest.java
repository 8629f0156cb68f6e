package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import dev.strata.core.VectorIndex;
import dev.strata.core.compaction.CompactionPolicy;
import dev.strata.core.compaction.Compactor;
import dev.strata.core.internal.Engines;
import dev.strata.core.internal.IndexEngine;
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
 * A tragic error (a full disk) that Lucene hits off the caller's own write, in a compaction's or a
 * bulk load's background graph build, closes the writer and takes every write buffered since the
 * last commit with it. Strata reopens the writer at that commit; the next write or commit must say
 * that those writes are gone instead of committing the rest as if nothing had happened, and once
 * they are written again they must all be there.
 */
class LostBufferedWritesTest {
  private static final int DIM = 16;

  @TempDir Path dir;

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

  @Test
  void aCompactionThatFillsTheDiskMakesTheNextWriteSayTheBufferedWritesAreLost() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).build();
    VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), options).close();
    FillingDirectory directory = new FillingDirectory(FSDirectory.open(path));
    try (VectorIndex index = (VectorIndex) Engines.facade(new IndexEngine(path, directory, options))) {
      index.upsertAll(records("a", 300));
      index.commit("a");
      index.upsertAll(records("b", 300));
      long committed = index.commit("b").id();
      index.upsertAll(records("c", 100)); // buffered, acknowledged by no commit yet

      directory.full = true;
      assertThatThrownBy(() -> new Compactor(index).compact(CompactionPolicy.builder().maxSegments(1).build()))
          .isInstanceOf(StrataException.class).hasMessageContaining("No space left on device");
      directory.full = false;

      assertLossReportedOnceThenWritesGoOn(index, committed, 700);
    }
  }

  @Test
  void aBackgroundGraphBuildThatFillsTheDiskMakesTheNextCommitSayTheBufferedWritesAreLost() throws Exception {
    Path path = dir.resolve("idx");
    IndexOptions options = IndexOptions.builder().bulkLoadRecords(200).build();
    VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.COSINE).build(), options).close();
    FillingDirectory directory = new FillingDirectory(FSDirectory.open(path));
    try (VectorIndex index = (VectorIndex) Engines.facade(new IndexEngine(path, directory, options))) {
      CountDownLatch release = new CountDownLatch(1);
      directory.mergesHeldUntil = release;
      index.upsertAll(records("a", 600)); // a bulk load: flat segments, a graph build after its commit
      long committed = index.commit("bulk load").id();
      assertThat(index.stats().graphBuildRunning()).isTrue();
      index.upsertAll(records("c", 100)); // buffered while the build waits at the door

      directory.full = true;
      release.countDown();
      assertThat(index.awaitGraphBuild(Duration.ofSeconds(60))).isTrue();
      directory.mergesHeldUntil = null;
      directory.full = false;

      assertThatThrownBy(() -> index.commit("c"))
          .isInstanceOf(StrataException.class)
          .hasMessageContaining("snapshot " + committed)
          .hasMessageContaining("lost")
          .hasMessageContaining("No space left on device");
      assertThat(index.latestSnapshot().id()).as("the refused commit made no snapshot").isEqualTo(committed);

      index.upsertAll(records("c", 100)); // written again, as the error asks
      assertThat(index.commit("c again").liveCount()).isEqualTo(700);
    }
    try (VectorIndex reopened = VectorIndex.open(path, options)) {
      assertThat(reopened.awaitGraphBuild(Duration.ofSeconds(60))).isTrue();
      assertThat(reopened.stats().docs()).isEqualTo(700);
      assertThat(reopened.history().verifyAll()).allSatisfy(r -> assertThat(r.sound()).as(r.toString()).isTrue());
    }
  }

  /** The first call after the loss says so and does nothing; the ones after it work as always. */
  private static void assertLossReportedOnceThenWritesGoOn(VectorIndex index, long committed, int expectedLive) {
    assertThatThrownBy(() -> index.upsertAll(records("d", 10)))
        .isInstanceOf(StrataException.class)
        .hasMessageContaining("snapshot " + committed)
        .hasMessageContaining("lost")
        .hasMessageContaining("No space left on device");
    assertThat(index.latestSnapshot().id()).isEqualTo(committed);

    index.upsertAll(records("c", 100)); // the lost writes, written again
    index.upsertAll(records("d", 10));
    assertThat(index.commit("c and d").liveCount()).isEqualTo(expectedLive + 10);
    assertThat(index.get("c-99")).isPresent();
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
