package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Native memory must stay flat over long runs: every tensor, result and buffer is released. The
 * process's resident set outside the Java heap (RSS minus committed heap: ONNX Runtime's and the
 * tokenizer's native allocations, direct buffers, JIT code) and the heap after a GC are compared
 * between the end of a warm-up and the end of 20,000 more texts. Subtracting the committed heap
 * keeps the garbage collector growing or shrinking its heap from passing for a leak or hiding one.
 */
class MemoryStabilityTest {
  private static final Path STATUS = Path.of("/proc/self/status");

  static long rssBytes() throws Exception {
    for (String line : Files.readAllLines(STATUS)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in " + STATUS);
  }

  static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long outsideHeap() throws Exception {
    return rssBytes() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  @Test
  void embeddingTwentyThousandTextsKeepsMemoryFlat() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(STATUS), "RSS is read from /proc/self/status (Linux only)");
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add("text number " + i + " about vector search and snapshots");
      }
      for (int i = 0; i < 20; i++) { // warm-up: 2,000 texts
        embedder.embed(batch);
      }
      long heapBefore = heapAfterGc();
      long nativeBefore = outsideHeap();
      for (int i = 0; i < 200; i++) { // 20,000 texts
        embedder.embed(batch);
      }
      long heapGrowth = heapAfterGc() - heapBefore;
      long nativeGrowth = outsideHeap() - nativeBefore;
      System.out.printf("memory after 20k texts: outside the heap %+d KiB, heap %+d KiB%n", nativeGrowth / 1024, heapGrowth / 1024);
      // A leaked input tensor pair is ~1 KiB a text here: 20k texts would add ~20 MiB or more.
      assertThat(nativeGrowth).as("growth of RSS outside the heap, in bytes").isLessThan(16L << 20);
      assertThat(heapGrowth).as("heap growth in bytes").isLessThan(8L << 20);
    }
  }
}
