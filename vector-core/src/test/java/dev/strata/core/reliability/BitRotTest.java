package dev.strata.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.testing.ManualScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit rot in the bytes Lucene reads without checking (vectors, stored fields, doc values): a
 * flipped bit must never be served as data. The checksum check before serving catches rot that
 * happened while the index was closed; the background scrub catches rot that happens while it is
 * open.
 */
class BitRotTest {
  @TempDir Path dir;

  @Test
  void aFlippedBitFoundOnOpenIsNeverServed() throws Exception {
    Path path = index();
    Path victim = largestSegmentFile(path);
    flipByte(victim);

    assertThatThrownBy(() -> VectorIndex.open(path, IndexOptions.builder().readOnly(true).build()))
        .isInstanceOf(IndexDamagedException.class)
        .hasMessageContaining(victim.getFileName().toString()).hasMessageContaining("fails its checksum");
    assertThatThrownBy(() -> SearcherHandle.open(path)).as("a serving handle checks too")
        .isInstanceOf(IndexDamagedException.class).hasMessageContaining(victim.getFileName().toString());
    try (VectorIndex unchecked = VectorIndex.open(path, IndexOptions.builder().readOnly(true).checksumOnOpen(false).build())) {
      assertThat(unchecked.stats().docs()).as("the check can be turned off, at the reader's risk").isEqualTo(500);
    }
  }

  @Test
  void theScrubTakesAnIndexThatRotsWhileOpenOutOfService() throws Exception {
    Path path = index();
    MeterRegistry registry = new SimpleMeterRegistry();
    ManualScheduler scrubs = new ManualScheduler(); // each pass is a step of the test, not a wait
    IndexOptions options = IndexOptions.builder().meterRegistry(registry).scheduler(scrubs)
        .scrubInterval(Duration.ofMillis(50)).scrubBytesPerSecond(1L << 30).build();
    try (VectorIndex index = VectorIndex.open(path, options)) {
      SearchRequest query = SearchRequest.builder(new float[] {3, 3, 3, 1}).k(5).build();
      assertThat(index.search(query).hits()).hasSize(5);
      assertThat(scrubs.runPending()).as("one sound pass first").isEqualTo(1);
      assertThat(registry.get("strata.scrub.bytes").counter().count()).isPositive();
      assertThat(index.search(query).hits()).hasSize(5);

      flipByte(largestSegmentFile(path)); // in place: the open index maps this file
      scrubs.runPending();
      assertThatThrownBy(() -> index.search(query)).as("searches are refused once the scrub finds the damage")
          .isInstanceOf(IndexDamagedException.class)
          .hasMessageContaining(largestSegmentFile(path).getFileName().toString());
      assertThat(registry.get("strata.integrity.failures").counter().count()).isEqualTo(1);
      assertThat(scrubs.scheduled()).as("an index out of service scrubs no more").isZero();
    }
  }

  /** 500 records, one segment, committed and closed. */
  private Path index() {
    Path path = dir.resolve("idx");
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(4, Similarity.EUCLIDEAN).build(),
        IndexOptions.builder().backgroundMerges(false).scrubBytesPerSecond(0).build())) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        records.add(Record.of("r" + i, new float[] {i, i % 7, i % 13, 1}));
      }
      index.upsertAll(records);
      index.commit("500 records");
    }
    return path;
  }

  private static Path largestSegmentFile(Path index) throws Exception {
    try (Stream<Path> files = Files.list(index)) {
      return files.filter(p -> p.getFileName().toString().startsWith("_"))
          .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
  }

  /** Flips one bit in the middle of {@code file} in place, as a failing disk would. */
  private static void flipByte(Path file) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
      ch.write(b, at);
    }
  }
}
