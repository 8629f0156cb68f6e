package dev.strata.core.live;

import dev.strata.core.IndexOptions;
import dev.strata.core.Record;
import dev.strata.core.VectorSource;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.io.ChecksummedFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer {@link IntervalPolicyKillTest} kills: {@code INDEX INTERVAL_MS SEED} writes records
 * {@code r0, r1, ...} through a {@link LiveIndex} under {@code CommitPolicy.every(INTERVAL)} until
 * it is killed, printing {@code ack N MS} when the call for {@code rN} returns and {@code commit N
 * MS} when a commit is durable (the head record follows each durable commit) with the highest N
 * acknowledged by then; MS is this process's monotonic clock.
 */
public final class IntervalWriterChild {
  private IntervalWriterChild() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    AtomicLong acked = new AtomicLong(-1);
    Object out = new Object();
    ChecksummedFile.observeSteps(step -> {
      if (step.equals("renamed strata-head.txt")) {
        synchronized (out) {
          System.out.println("commit " + acked.get() + " " + (System.nanoTime() - start) / 1_000_000);
          System.out.flush();
        }
      }
    });
    Random random = new Random(Long.parseLong(args[2]));
    try (VectorIndex index = VectorIndex.open(Path.of(args[0]));
        LiveIndex live = LiveIndex.of(index, CommitPolicy.every(Duration.ofMillis(Long.parseLong(args[1]))))) {
      for (long n = 0; ; n++) {
        live.upsertAll(List.of(Record.of("r" + n, new float[] {random.nextFloat(), random.nextFloat(), 1})),
            VectorSource.UNSTATED);
        acked.set(n);
        synchronized (out) {
          System.out.println("ack " + n + " " + (System.nanoTime() - start) / 1_000_000);
          System.out.flush();
        }
        Thread.sleep(random.nextInt(3));
      }
    }
  }
}
