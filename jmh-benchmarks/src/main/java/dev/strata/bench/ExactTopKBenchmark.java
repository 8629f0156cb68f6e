package dev.strata.bench;

import dev.strata.core.kernels.VectorKernels;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact top-10 over 100k x 384 float32 vectors on one thread, scored with the batched kernel,
 * beside a plain sequential read of the same 154 MB: the read is the floor, and the ratio of the two
 * says how far scoring is from memory-bound. One thread for both, so the ratio is per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExactTopKBenchmark {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final int BLOCK = 64;

  @Param({"100000"})
  int count;

  @Param({"384"})
  int dim;

  float[] matrix;
  float[] query;
  float[] scores;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    matrix = new float[count * dim];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = random.nextFloat() * 2 - 1;
    }
    query = new float[dim];
    for (int i = 0; i < dim; i++) {
      query[i] = random.nextFloat() * 2 - 1;
    }
    scores = new float[BLOCK];
  }

  /** Top 10 by dot product, as {@code SearchRequest.exact} scores a segment (there in parallel chunks). */
  @Benchmark
  public int exactTop10() {
    PriorityQueue<long[]> heap = new PriorityQueue<>(11, (x, y) -> Float.compare(
        Float.intBitsToFloat((int) x[0]), Float.intBitsToFloat((int) y[0])));
    float worst = Float.NEGATIVE_INFINITY;
    for (int row = 0; row < count; row += BLOCK) {
      int n = Math.min(BLOCK, count - row);
      VectorKernels.dotProductBatch(query, matrix, row, n, scores);
      for (int i = 0; i < n; i++) {
        if (heap.size() < 10 || scores[i] > worst) {
          heap.add(new long[] {Float.floatToRawIntBits(scores[i]), row + i});
          if (heap.size() > 10) {
            heap.poll();
          }
          worst = Float.intBitsToFloat((int) heap.peek()[0]);
        }
      }
    }
    return (int) heap.peek()[1];
  }

  /** Every float read once, summed with the Vector API: the memory-bandwidth floor. */
  @Benchmark
  public float sequentialRead() {
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = FLOATS.loopBound(matrix.length) - step; i < bound; i += 2 * step) {
      acc0 = acc0.add(FloatVector.fromArray(FLOATS, matrix, i));
      acc1 = acc1.add(FloatVector.fromArray(FLOATS, matrix, i + step));
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < matrix.length; i++) {
      sum += matrix[i];
    }
    return sum;
  }
}
