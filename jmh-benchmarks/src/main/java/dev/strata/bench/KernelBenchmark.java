package dev.strata.bench;

import dev.strata.core.kernels.VectorKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
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
 * One kernel call at the dimensions embedding models use: Strata's kernels (whichever provider the
 * fork chose; {@link ScalarKernelBenchmark} forces the scalar ones) beside Lucene's {@link
 * VectorUtil}, which has its own Panama provider. Inputs live in non-final state fields and results
 * are returned, so the JIT can neither fold nor drop the work (JMH samples 08-11). Two forks: one
 * JVM's code layout can skew a kernel by 10-20% on these machines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {
  @Param({"128", "384", "768", "1024"})
  int dim;

  float[] a;
  float[] b;
  byte[] byteA;
  byte[] byteB;
  long[] bitsA;
  long[] bitsB;
  /** The same bits as {@link #bitsA} and {@link #bitsB}, as Lucene's xorBitCount takes them. */
  byte[] bitBytesA;
  byte[] bitBytesB;

  @Setup
  public void setUp() {
    Random random = new Random(dim);
    a = new float[dim];
    b = new float[dim];
    byteA = new byte[dim];
    byteB = new byte[dim];
    for (int i = 0; i < dim; i++) {
      a[i] = random.nextFloat() * 2 - 1;
      b[i] = random.nextFloat() * 2 - 1;
    }
    random.nextBytes(byteA);
    random.nextBytes(byteB);
    bitsA = random.longs(dim / 64).toArray();
    bitsB = random.longs(dim / 64).toArray();
    bitBytesA = toBytes(bitsA);
    bitBytesB = toBytes(bitsB);
    if (VectorKernels.hamming(bitsA, bitsB) != VectorUtil.xorBitCount(bitBytesA, bitBytesB)) {
      throw new IllegalStateException("Strata and Lucene disagree on the Hamming distance");
    }
  }

  private static byte[] toBytes(long[] words) {
    byte[] bytes = new byte[words.length * Long.BYTES];
    java.nio.ByteBuffer.wrap(bytes).asLongBuffer().put(words);
    return bytes;
  }

  @Benchmark
  public float strataDotProduct() {
    return VectorKernels.dotProduct(a, b);
  }

  @Benchmark
  public float luceneDotProduct() {
    return VectorUtil.dotProduct(a, b);
  }

  @Benchmark
  public float strataCosine() {
    return VectorKernels.cosine(a, b);
  }

  @Benchmark
  public float luceneCosine() {
    return VectorUtil.cosine(a, b);
  }

  @Benchmark
  public float strataSquareDistance() {
    return VectorKernels.squareDistance(a, b);
  }

  @Benchmark
  public float luceneSquareDistance() {
    return VectorUtil.squareDistance(a, b);
  }

  @Benchmark
  public int strataInt8DotProduct() {
    return VectorKernels.dotProduct(byteA, byteB);
  }

  @Benchmark
  public int luceneInt8DotProduct() {
    return VectorUtil.dotProduct(byteA, byteB);
  }

  @Benchmark
  public int strataHamming() {
    return VectorKernels.hamming(bitsA, bitsB);
  }

  @Benchmark
  public int luceneHamming() {
    return VectorUtil.xorBitCount(bitBytesA, bitBytesB);
  }
}
