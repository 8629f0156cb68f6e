package dev.strata.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission refuses new calls while the heap is nearly full after a collection, instead of taking
 * work into an OutOfMemoryError: with a stated fullness, and in a child JVM whose small heap is
 * really filled.
 */
class HeapPressureTest {
  @Test
  void aNearlyFullHeapRefusesNewCallsSayingSoAndAnEmptierOneAdmitsThem() {
    double[] heap = {0.95};
    AdmissionControl control = new AdmissionControl("searches of index idx", new AdmissionLimits(4, 4), () -> heap[0]);
    assertThatThrownBy(() -> control.enter(Long.MAX_VALUE, null)).isInstanceOfSatisfying(OverloadedException.class, e -> {
      assertThat(e.getMessage()).contains("searches of index idx").contains("heap was 95% full").contains("limit 90%")
          .contains("back off");
      assertThat(e.retryAfter()).isPositive();
    });
    assertThat(control.rejected()).isEqualTo(1);
    assertThat(control.running()).isZero();
    heap[0] = 0.5;
    control.enter(Long.MAX_VALUE, null).close();

    AdmissionControl never = new AdmissionControl("x", new AdmissionLimits(4, 4).withMaxHeapFraction(1.0), () -> 0.99);
    never.enter(Long.MAX_VALUE, null).close();
    assertThat(new AdmissionControl("x", AdmissionLimits.unlimited(), () -> 5.0).enter(Long.MAX_VALUE, null)).isNotNull();
    assertThatThrownBy(() -> new AdmissionLimits(1, 1, 0)).hasMessageContaining("maxHeapFraction");
  }

  @Test
  void aChildWhoseHeapIsFullOfLiveDataIsRefusedNotKilled() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), FillsItsHeap.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).contains("admitted while empty").contains("refused while full: ").contains("heap was")
        .doesNotContain("OutOfMemoryError");
    assertThat(child.exitValue()).as(out).isZero();
  }

  /** Fills 80% of a 64 MB heap with live data, collects, and asks for admission before and after. */
  public static final class FillsItsHeap {
    public static void main(String[] args) throws Exception {
      // A limit of 70%, filled to 80%: G1 in a 64 MB heap cannot be filled to the default 90% without
      // failing the allocation itself.
      AdmissionControl control = new AdmissionControl("searches of index idx", AdmissionLimits.searches().withMaxHeapFraction(0.7));
      System.gc();
      control.enter(Long.MAX_VALUE, null).close();
      System.out.println("admitted while empty");
      List<byte[]> live = new ArrayList<>();
      int block = 128 * 1024;
      long max = Runtime.getRuntime().maxMemory();
      while ((long) live.size() * block < 0.8 * max) {
        live.add(new byte[block]);
      }
      System.gc();
      // The collectors' notifications arrive on their own thread: allow them a moment.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        try {
          control.enter(Long.MAX_VALUE, null).close();
          Thread.sleep(10);
        } catch (OverloadedException e) {
          System.out.println("refused while full: " + e.getMessage());
          return;
        }
      }
      System.out.println("admitted while full (" + live.size() + " blocks)");
      System.exit(1);
    }
  }
}
