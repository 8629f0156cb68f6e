package dev.strata.core.kernels;

import static dev.strata.core.kernels.KernelReference.AWKWARD_LENGTHS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.strata.core.testing.TestSeeds;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every kernel of both providers against the double-precision reference. */
class VectorKernelsTest {
  /** From tiny (products underflow towards subnormals) to huge (products near 1e30). */
  private static final float[] SCALES = {1e-18f, 1e-3f, 1f, 1e3f, 1e15f};

  private static final List<KernelSupport> PROVIDERS = List.of(VectorKernels.scalar(), VectorKernels.active());

  @Test
  void theVectorApiIsChosenWhenItsModuleIsPresent() {
    // Surefire runs with --add-modules jdk.incubator.vector; KernelProviderProcessTest covers the rest.
    boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertThat(VectorKernels.provider()).isEqualTo(vectorApi ? "panama" : "scalar");
  }

  @Test
  void floatKernelsMatchTheReferenceAtAwkwardLengthsAndScales() {
    long seed = TestSeeds.seed("kernels-float");
    Random random = new Random(seed);
    for (KernelSupport kernels : PROVIDERS) {
      for (int length : AWKWARD_LENGTHS) {
        for (float scale : SCALES) {
          float[] a = KernelReference.floats(random, length, scale);
          float[] b = KernelReference.floats(random, length, scale);
          String where = kernels.name() + " length " + length + " scale " + scale + " " + TestSeeds.describe(seed);

          double terms = KernelReference.absoluteDotTerms(a, b);
          assertThat((double) kernels.dotProduct(a, b))
              .as("dot " + where)
              .isCloseTo(KernelReference.dotProduct(a, b),
                  offset(KernelReference.tolerance(length, terms)));
          double distance = KernelReference.squareDistance(a, b);
          assertThat((double) kernels.squareDistance(a, b))
              .as("squareDistance " + where)
              .isCloseTo(distance, offset(KernelReference.tolerance(length, distance)));
          if (scale >= 1e-3f) { // below that the squared norms underflow float32 and cosine is undefined
            assertThat((double) kernels.cosine(a, b))
                .as("cosine " + where)
                .isCloseTo(KernelReference.cosine(a, b),
                    offset(KernelReference.tolerance(length, 1) * 4));
          }
        }
      }
    }
  }

  @Test
  void integerKernelsAreExact() {
    long seed = TestSeeds.seed("kernels-int");
    Random random = new Random(seed);
    for (KernelSupport kernels : PROVIDERS) {
      for (int length : AWKWARD_LENGTHS) {
        byte[] a = KernelReference.bytes(random, length);
        byte[] b = KernelReference.bytes(random, length);
        int dot = 0;
        for (int i = 0; i < length; i++) {
          dot += a[i] * b[i];
        }
        assertThat(kernels.dotProduct(a, b)).as(kernels.name() + " int8 length " + length + " " + TestSeeds.describe(seed)).isEqualTo(dot);

        long[] x = KernelReference.bits(random, length);
        long[] y = KernelReference.bits(random, length);
        int hamming = 0;
        for (int i = 0; i < length; i++) {
          for (int bit = 0; bit < 64; bit++) {
            hamming += (int) (((x[i] ^ y[i]) >>> bit) & 1);
          }
        }
        assertThat(kernels.hamming(x, y)).as(kernels.name() + " hamming length " + length + " " + TestSeeds.describe(seed)).isEqualTo(hamming);
        assertThat(PanamaKernels.vectorHamming(x, y)).as("vector body, length " + length).isEqualTo(hamming);
      }
    }
  }

  @Test
  void extremeInt8ValuesDoNotOverflow() {
    for (KernelSupport kernels : PROVIDERS) {
      byte[] min = new byte[4098];
      java.util.Arrays.fill(min, Byte.MIN_VALUE);
      assertThat(kernels.dotProduct(min, min)).as(kernels.name()).isEqualTo(4098 * 128 * 128);
    }
  }

  @Test
  void batchScoringMatchesOneVectorAtATime() {
    long seed = TestSeeds.seed("kernels-batch");
    Random random = new Random(seed);
    for (KernelSupport kernels : PROVIDERS) {
      for (int dim : AWKWARD_LENGTHS) {
        int rows = 11; // not a multiple of the four rows the Panama batch scores at once
        float[] query = KernelReference.floats(random, dim, 1f);
        float[] matrix = KernelReference.floats(random, dim * rows, 1f);
        float[] dots = new float[rows - 2];
        float[] distances = new float[rows - 2];
        kernels.dotProductBatch(query, matrix, 2, rows - 2, dots);
        kernels.squareDistanceBatch(query, matrix, 2, rows - 2, distances);
        for (int r = 0; r < rows - 2; r++) {
          float[] row = java.util.Arrays.copyOfRange(matrix, (r + 2) * dim, (r + 3) * dim);
          String where = kernels.name() + " dim " + dim + " row " + r + " " + TestSeeds.describe(seed);
          assertThat((double) dots[r]).as("dot " + where).isCloseTo(KernelReference.dotProduct(query, row),
              offset(
                  KernelReference.tolerance(dim, KernelReference.absoluteDotTerms(query, row))));
          double distance = KernelReference.squareDistance(query, row);
          assertThat((double) distances[r]).as("distance " + where)
              .isCloseTo(distance, offset(KernelReference.tolerance(dim, distance)));
        }
      }
    }
  }

  /**
   * Unsigned bytes: every byte value (128-255 above all, which a signed read would turn negative),
   * awkward lengths, strides longer than a vector, counts not a multiple of the four vectors the
   * Panama kernel scores at once, and the largest values at 4,096 dimensions.
   */
  @Test
  void unsignedByteDotProductsAreExact() {
    long seed = TestSeeds.seed("kernels-uint8");
    Random random = new Random(seed);
    for (KernelSupport kernels : PROVIDERS) {
      for (int dim : AWKWARD_LENGTHS) {
        int stride = dim + 16; // a quantized vector is followed by its corrective terms
        for (int count : new int[] {1, 3, 4, 7}) {
          byte[] stored = new byte[stride * count];
          random.nextBytes(stored);
          int[] query = new int[dim];
          for (int d = 0; d < dim; d++) {
            query[d] = random.nextInt(256);
          }
          int[] dots = new int[count];
          kernels.unsignedByteDotProducts(query, stored, stride, count, dots);
          for (int i = 0; i < count; i++) {
            int expected = 0;
            for (int d = 0; d < dim; d++) {
              expected += query[d] * (stored[i * stride + d] & 0xFF);
            }
            assertThat(dots[i]).as(kernels.name() + " dim " + dim + " vector " + i + " of " + count + " " + TestSeeds.describe(seed))
                .isEqualTo(expected);
          }
        }
      }
      byte[] max = new byte[4096 * 5];
      java.util.Arrays.fill(max, (byte) -1);
      int[] query = new int[4096];
      java.util.Arrays.fill(query, 255);
      int[] dots = new int[5];
      kernels.unsignedByteDotProducts(query, max, 4096, 5, dots);
      assertThat(dots).as(kernels.name()).containsOnly(4096 * 255 * 255);
    }
    assertThatThrownBy(() -> VectorKernels.unsignedByteDotProducts(new int[8], new byte[35], 10, 4, new int[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("4 vectors of stride 10 end past the array's 35 bytes");
    assertThatThrownBy(() -> VectorKernels.unsignedByteDotProducts(new int[8], new byte[40], 10, 2, new int[1]))
        .hasMessage("count 2 outside dots' 1 slots");
    assertThatThrownBy(() -> VectorKernels.unsignedByteDotProducts(new int[8], new byte[40], 4, 1, new int[1]))
        .hasMessage("stride 4 is shorter than the query's 8 values");
  }

  @Test
  void theFacadeNamesBothLengthsWhenTheyDiffer() {
    assertThatThrownBy(() -> VectorKernels.dotProduct(new float[3], new float[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vector lengths differ: 3 != 4");
    assertThatThrownBy(() -> VectorKernels.hamming(new long[1], new long[2]))
        .hasMessage("vector lengths differ: 1 != 2");
    assertThatThrownBy(() -> VectorKernels.dotProductBatch(new float[4], new float[10], 0, 1, new float[1]))
        .hasMessage("matrix length 10 is not a multiple of the query length 4");
    assertThatThrownBy(() -> VectorKernels.dotProductBatch(new float[4], new float[16], 3, 2, new float[2]))
        .hasMessage("rows [3, 5) outside the matrix's 4 rows");
  }
}
