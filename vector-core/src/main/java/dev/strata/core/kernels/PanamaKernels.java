package dev.strata.core.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}). Loaded only by {@link KernelProvider}
 * after it has checked that the module is present, so no other class touches incubator types.
 *
 * <p>Each kernel has the same shape: below a threshold the scalar code is faster (the vector setup
 * costs more than it saves), then a vector body with several accumulators, because one FMA
 * accumulator would wait on the previous FMA's latency (4 cycles on current x86) every step, then
 * a scalar tail.
 */
final class PanamaKernels implements KernelSupport {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  /** As many bytes as {@link #INTS} has lanes, so one byte load widens to one int vector. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.length() * Byte.SIZE));
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  /** 512-bit vectors: the CPU has AVX-512, where VPOPCNTQ counts bits lane by lane. */
  private static final boolean VECTOR_POPCOUNT = LONGS.length() >= 8;
  /** Vectors shorter than two full registers go to the scalar code. */
  private static final int FLOAT_THRESHOLD = 2 * FLOATS.length();

  PanamaKernels() {}

  /** The width the JIT would use; under 128 bits the Vector API is emulated and slower than scalar. */
  static int preferredBitSize() {
    return VectorShape.preferredShape().vectorBitSize();
  }

  @Override
  public String name() {
    return "panama";
  }

  @Override
  public float dotProduct(float[] a, float[] b) {
    return dotProduct(a, b, 0, a.length);
  }

  private static float dotProduct(float[] a, float[] b, int bOffset, int length) {
    if (length < FLOAT_THRESHOLD) {
      return ScalarKernels.dotProduct(a, b, bOffset, length);
    }
    int i = 0;
    float sum = 0;
    int bound = FLOATS.loopBound(length);
    if (bound > 0) {
      sum = dotProductBody(a, b, bOffset, bound);
      i = bound;
    }
    for (; i < length; i++) {
      sum = Math.fma(a[i], b[bOffset + i], sum);
    }
    return sum;
  }

  private static float dotProductBody(float[] a, float[] b, int bOffset, int bound) {
    int step = FLOATS.length();
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    FloatVector acc2 = FloatVector.zero(FLOATS);
    FloatVector acc3 = FloatVector.zero(FLOATS);
    int i = 0;
    for (int unrolled = bound - 3 * step; i < unrolled; i += 4 * step) {
      acc0 = FloatVector.fromArray(FLOATS, a, i).fma(FloatVector.fromArray(FLOATS, b, bOffset + i), acc0);
      acc1 = FloatVector.fromArray(FLOATS, a, i + step)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + step), acc1);
      acc2 = FloatVector.fromArray(FLOATS, a, i + 2 * step)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + 2 * step), acc2);
      acc3 = FloatVector.fromArray(FLOATS, a, i + 3 * step)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + 3 * step), acc3);
    }
    for (; i < bound; i += step) {
      acc0 = FloatVector.fromArray(FLOATS, a, i).fma(FloatVector.fromArray(FLOATS, b, bOffset + i), acc0);
    }
    return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
  }

  @Override
  public float cosine(float[] a, float[] b) {
    int length = a.length;
    if (length < FLOAT_THRESHOLD) {
      return ScalarKernels.INSTANCE.cosine(a, b);
    }
    FloatVector dot = FloatVector.zero(FLOATS);
    FloatVector normA = FloatVector.zero(FLOATS);
    FloatVector normB = FloatVector.zero(FLOATS);
    int i = 0;
    for (int bound = FLOATS.loopBound(length); i < bound; i += FLOATS.length()) {
      FloatVector va = FloatVector.fromArray(FLOATS, a, i);
      FloatVector vb = FloatVector.fromArray(FLOATS, b, i);
      dot = va.fma(vb, dot);
      normA = va.fma(va, normA);
      normB = vb.fma(vb, normB);
    }
    float d = dot.reduceLanes(VectorOperators.ADD);
    float na = normA.reduceLanes(VectorOperators.ADD);
    float nb = normB.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      d = Math.fma(a[i], b[i], d);
      na = Math.fma(a[i], a[i], na);
      nb = Math.fma(b[i], b[i], nb);
    }
    return (float) (d / Math.sqrt((double) na * (double) nb));
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    return squareDistance(a, b, 0, a.length);
  }

  private static float squareDistance(float[] a, float[] b, int bOffset, int length) {
    if (length < FLOAT_THRESHOLD) {
      return ScalarKernels.squareDistance(a, b, bOffset, length);
    }
    int step = FLOATS.length();
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    int i = 0;
    int bound = FLOATS.loopBound(length);
    for (int unrolled = bound - step; i < unrolled; i += 2 * step) {
      FloatVector d0 = FloatVector.fromArray(FLOATS, a, i).sub(FloatVector.fromArray(FLOATS, b, bOffset + i));
      FloatVector d1 = FloatVector.fromArray(FLOATS, a, i + step)
          .sub(FloatVector.fromArray(FLOATS, b, bOffset + i + step));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
    }
    for (; i < bound; i += step) {
      FloatVector d0 = FloatVector.fromArray(FLOATS, a, i).sub(FloatVector.fromArray(FLOATS, b, bOffset + i));
      acc0 = d0.fma(d0, acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      float d = a[i] - b[bOffset + i];
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  @Override
  public int dotProduct(byte[] a, byte[] b) {
    int length = a.length;
    int i = 0;
    int sum = 0;
    if (length >= 2 * BYTES.length()) {
      // Widen bytes straight to ints: the products of two int8 values need 15 bits, and summing
      // them in ints avoids the short overflow that a byte-to-short multiply would risk.
      IntVector acc = IntVector.zero(INTS);
      for (int bound = BYTES.loopBound(length); i < bound; i += BYTES.length()) {
        IntVector va = (IntVector) ByteVector.fromArray(BYTES, a, i).convertShape(VectorOperators.B2I, INTS, 0);
        IntVector vb = (IntVector) ByteVector.fromArray(BYTES, b, i).convertShape(VectorOperators.B2I, INTS, 0);
        acc = acc.add(va.mul(vb));
      }
      sum = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /**
   * Four stored vectors at a time against one loaded slice of the query, four accumulators in
   * flight. Each byte load widens straight to an int vector (one VPMOVZXBD on x86).
   */
  @Override
  public void unsignedByteDotProducts(int[] query, byte[] vectors, int stride, int count, int[] dots) {
    int bound = INTS.loopBound(query.length);
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      int o0 = i * stride;
      int o1 = o0 + stride;
      int o2 = o1 + stride;
      int o3 = o2 + stride;
      IntVector acc0 = IntVector.zero(INTS);
      IntVector acc1 = IntVector.zero(INTS);
      IntVector acc2 = IntVector.zero(INTS);
      IntVector acc3 = IntVector.zero(INTS);
      for (int d = 0; d < bound; d += INTS.length()) {
        IntVector q = IntVector.fromArray(INTS, query, d);
        acc0 = acc0.add(q.mul(unsignedBytes(vectors, o0 + d)));
        acc1 = acc1.add(q.mul(unsignedBytes(vectors, o1 + d)));
        acc2 = acc2.add(q.mul(unsignedBytes(vectors, o2 + d)));
        acc3 = acc3.add(q.mul(unsignedBytes(vectors, o3 + d)));
      }
      dots[i] = acc0.reduceLanes(VectorOperators.ADD) + ScalarKernels.unsignedDot(query, vectors, o0, bound);
      dots[i + 1] = acc1.reduceLanes(VectorOperators.ADD) + ScalarKernels.unsignedDot(query, vectors, o1, bound);
      dots[i + 2] = acc2.reduceLanes(VectorOperators.ADD) + ScalarKernels.unsignedDot(query, vectors, o2, bound);
      dots[i + 3] = acc3.reduceLanes(VectorOperators.ADD) + ScalarKernels.unsignedDot(query, vectors, o3, bound);
    }
    for (; i < count; i++) {
      int offset = i * stride;
      IntVector acc = IntVector.zero(INTS);
      for (int d = 0; d < bound; d += INTS.length()) {
        acc = acc.add(IntVector.fromArray(INTS, query, d).mul(unsignedBytes(vectors, offset + d)));
      }
      dots[i] = acc.reduceLanes(VectorOperators.ADD) + ScalarKernels.unsignedDot(query, vectors, offset, bound);
    }
  }

  private static IntVector unsignedBytes(byte[] vectors, int offset) {
    return (IntVector) ByteVector.fromArray(BYTES, vectors, offset).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
  }

  @Override
  public int hamming(long[] a, long[] b) {
    if (!VECTOR_POPCOUNT) {
      // Without AVX-512 the JIT emulates a vector BIT_COUNT, and KernelBenchmark measured it no
      // faster than one POPCNT per long (78.7 against 88.7 ops/us at 384 bits on AVX2).
      return ScalarKernels.INSTANCE.hamming(a, b);
    }
    return vectorHamming(a, b);
  }

  /** The vector body, whatever the CPU; tests call it directly so it is checked on AVX2 too. */
  static int vectorHamming(long[] a, long[] b) {
    int length = a.length;
    int i = 0;
    long distance = 0;
    if (length >= 2 * LONGS.length()) {
      LongVector acc = LongVector.zero(LONGS);
      for (int bound = LONGS.loopBound(length); i < bound; i += LONGS.length()) {
        acc = acc.add(LongVector.fromArray(LONGS, a, i).lanewise(VectorOperators.XOR, LongVector.fromArray(LONGS, b, i))
            .lanewise(VectorOperators.BIT_COUNT));
      }
      distance = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < length; i++) {
      distance += Long.bitCount(a[i] ^ b[i]);
    }
    return (int) distance;
  }

  @Override
  public void dotProductBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    int dim = query.length;
    int r = 0;
    if (dim >= FLOAT_THRESHOLD) {
      for (; r + 4 <= count; r += 4) {
        dotProductFourRows(query, matrix, (firstRow + r) * dim, scores, r);
      }
    }
    for (; r < count; r++) {
      scores[r] = dotProduct(query, matrix, (firstRow + r) * dim, dim);
    }
  }

  /**
   * Four rows against one query at once: each query register is loaded once and used four times,
   * so the loop is bound by the rows' memory traffic rather than by loads of the query.
   */
  private static void dotProductFourRows(float[] query, float[] matrix, int offset, float[] scores, int at) {
    int dim = query.length;
    int step = FLOATS.length();
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    FloatVector acc2 = FloatVector.zero(FLOATS);
    FloatVector acc3 = FloatVector.zero(FLOATS);
    int i = 0;
    for (int bound = FLOATS.loopBound(dim); i < bound; i += step) {
      FloatVector q = FloatVector.fromArray(FLOATS, query, i);
      acc0 = q.fma(FloatVector.fromArray(FLOATS, matrix, offset + i), acc0);
      acc1 = q.fma(FloatVector.fromArray(FLOATS, matrix, offset + dim + i), acc1);
      acc2 = q.fma(FloatVector.fromArray(FLOATS, matrix, offset + 2 * dim + i), acc2);
      acc3 = q.fma(FloatVector.fromArray(FLOATS, matrix, offset + 3 * dim + i), acc3);
    }
    float s0 = acc0.reduceLanes(VectorOperators.ADD);
    float s1 = acc1.reduceLanes(VectorOperators.ADD);
    float s2 = acc2.reduceLanes(VectorOperators.ADD);
    float s3 = acc3.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      s0 = Math.fma(query[i], matrix[offset + i], s0);
      s1 = Math.fma(query[i], matrix[offset + dim + i], s1);
      s2 = Math.fma(query[i], matrix[offset + 2 * dim + i], s2);
      s3 = Math.fma(query[i], matrix[offset + 3 * dim + i], s3);
    }
    scores[at] = s0;
    scores[at + 1] = s1;
    scores[at + 2] = s2;
    scores[at + 3] = s3;
  }

  @Override
  public void squareDistanceBatch(float[] query, float[] matrix, int firstRow, int count, float[] scores) {
    int dim = query.length;
    for (int r = 0; r < count; r++) {
      scores[r] = squareDistance(query, matrix, (firstRow + r) * dim, dim);
    }
  }
}
