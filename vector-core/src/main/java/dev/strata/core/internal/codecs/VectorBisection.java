package dev.strata.core.internal.codecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.IntroSelector;
import org.apache.lucene.util.VectorUtil;

/**
 * A document order for a merged segment in which vectors close in space lie close on disk:
 * recursive balanced bisection, the idea of Lucene's {@code BPIndexReorderer} (which orders by
 * postings; Lucene 10.6 ships none for vectors). A graph search reads a few thousand vectors
 * scattered over the segment; in this order the ones a query reads share pages, so fewer of them
 * miss the page cache and the TLB.
 *
 * <p>Each partition is split in two halves of equal size, then refined: every vector goes to the
 * half whose centroid it is nearer (by {@code v . (right - left)}, the part of the squared-distance
 * difference that varies between vectors), the halves kept equal by selecting the lower half of
 * that key, until no vector changes side or {@link #MAX_ITERATIONS} is reached; then each half
 * is split the same way, down to {@link #MIN_PARTITION} vectors. The halves of one split are
 * independent, so they run in parallel, and the result does not depend on the thread count.
 *
 * <p>Vectors are read from the merged segment's own (memory-mapped) values, never copied to the
 * heap: the heap holds a few arrays of one int or float per vector.
 */
final class VectorBisection {
  /** A partition this small spans a few pages; splitting it further moves nothing a search sees. */
  static final int MIN_PARTITION = 32;

  /** Refinement rounds per split: most vectors settle in the first few. */
  static final int MAX_ITERATIONS = 8;

  /**
   * Vectors kept together when the blocks are shuffled ({@link #shuffledBlocks}), at least: 12 KiB
   * at 384 dimensions. Measured at 100k x 384 with the graph built on two threads, recall at ef 64:
   * blocks of 64 or 512 0.94-0.95, 32 0.962-0.976, 8 0.981-0.982 (three runs), doc order 0.971-0.978.
   */
  static final int MIN_BLOCK = 8;

  /**
   * Vectors kept together in the largest merges. At 1M x 384 (two build threads, runs of 64, 8, 64
   * back to back) blocks of 64 against 8: builds 356 and 404 against 428 s, searches 1.08-1.31x as
   * fast at equal recall: past the cache, the locality pays more than the insertion order costs.
   */
  static final int MAX_BLOCK = 64;

  /** Below this a split runs on the thread that made it: forking costs more than it spreads. */
  private static final int FORK_THRESHOLD = 8_192;

  private final FloatVectorValues vectors;
  private final int dimension;
  private final int[] ords;
  private final float[] keys;
  private final boolean[] wasLeft;
  private final Runnable abortCheck;

  private VectorBisection(FloatVectorValues vectors, Runnable abortCheck) {
    this.vectors = vectors;
    this.dimension = vectors.dimension();
    this.ords = new int[vectors.size()];
    for (int i = 0; i < ords.length; i++) {
      ords[i] = i;
    }
    this.keys = new float[ords.length];
    this.wasLeft = new boolean[ords.length];
    this.abortCheck = abortCheck;
  }

  /**
   * The order for {@code reader}'s documents by the vectors of {@code field}, or null when it has
   * fewer than {@code minVectors} of them. Documents without a vector follow those with one, in
   * their old order. {@code abortCheck} runs between partitions and may throw to stop the work (an
   * aborted merge); wrap a checked exception in {@link UncheckedIOException}.
   */
  static Sorter.DocMap docMap(CodecReader reader, String field, int minVectors, int threads, Runnable abortCheck)
      throws IOException {
    FloatVectorValues vectors = reader.getFloatVectorValues(field);
    if (vectors == null || vectors.size() < Math.max(minVectors, 2 * MIN_PARTITION)) {
      return null;
    }
    int[] ordToDoc = ordToDoc(vectors);
    VectorBisection bisection = new VectorBisection(vectors, abortCheck);
    try {
      bisection.run(threads);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // an aborted merge, or a read that failed
    }
    return permutation(reader.maxDoc(), shuffledBlocks(bisection.ords, blockSize(vectors.size())), ordToDoc);
  }

  /**
   * The block size for a merge of {@code vectors}: {@link #MIN_BLOCK} below 250,000 vectors, 16
   * from there, 32 from 500,000, {@link #MAX_BLOCK} from 1,000,000. Measured at 100k and 1M only;
   * in between it doubles with the merge.
   */
  static int blockSize(int vectors) {
    return Integer.highestOneBit(Math.clamp(vectors / (1_000_000 / MAX_BLOCK), MIN_BLOCK, MAX_BLOCK));
  }

  /**
   * The bisection order cut into blocks of {@code block} neighbours, the blocks in a seeded random
   * order. Lucene builds a merged segment's graph by inserting vectors in doc order, and an HNSW
   * graph built region by region is a worse graph (measured: recall 0.938 against 0.975 at ef 64,
   * 100k x 384): its early nodes link only among their own region, and the larger the blocks, the
   * more of that is left (see {@link #MIN_BLOCK}). Shuffled blocks keep what a
   * search gains (the vectors it reads near the query share pages) with an insertion order that
   * jumps across the space as a random one does.
   */
  private static int[] shuffledBlocks(int[] ordered, int block) {
    int blocks = (ordered.length + block - 1) / block;
    int[] blockOrder = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      blockOrder[i] = i;
    }
    Random random = new Random(ordered.length); // reproducible: same input, same order
    for (int i = blocks - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = blockOrder[i];
      blockOrder[i] = blockOrder[j];
      blockOrder[j] = swap;
    }
    int[] shuffled = new int[ordered.length];
    int next = 0;
    for (int b : blockOrder) {
      int from = b * block;
      int to = Math.min(ordered.length, from + block);
      System.arraycopy(ordered, from, shuffled, next, to - from);
      next += to - from;
    }
    return shuffled;
  }

  private static int[] ordToDoc(FloatVectorValues vectors) throws IOException {
    int[] docs = new int[vectors.size()];
    KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
    for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
      docs[iterator.index()] = doc;
    }
    return docs;
  }

  /** New doc i: the doc of the i-th ordered vector, then the docs without one in their old order. */
  private static Sorter.DocMap permutation(int maxDoc, int[] orderedOrds, int[] ordToDoc) {
    int[] newToOld = new int[maxDoc];
    int[] oldToNew = new int[maxDoc];
    Arrays.fill(oldToNew, -1);
    int next = 0;
    for (int ord : orderedOrds) {
      int doc = ordToDoc[ord];
      oldToNew[doc] = next;
      newToOld[next++] = doc;
    }
    for (int doc = 0; doc < maxDoc; doc++) {
      if (oldToNew[doc] < 0) {
        oldToNew[doc] = next;
        newToOld[next++] = doc;
      }
    }
    return new Sorter.DocMap() {
      @Override
      public int oldToNew(int docID) {
        return oldToNew[docID];
      }

      @Override
      public int newToOld(int docID) {
        return newToOld[docID];
      }

      @Override
      public int size() {
        return maxDoc;
      }
    };
  }

  private void run(int threads) {
    Split all = new Split(0, ords.length, null);
    if (threads <= 1) {
      all.compute();
    } else {
      try (ForkJoinPool pool = new ForkJoinPool(threads)) {
        pool.invoke(all);
      }
    }
  }

  /**
   * One partition's split and the splits of its halves. {@code values}: the vectors to read on the
   * thread that made this split, or null for a forked one, which may run on another thread and
   * takes its own copy ({@code vectorValue} reuses one buffer per copy).
   */
  private final class Split extends RecursiveAction {
    private final int from;
    private final int to;
    private final FloatVectorValues values;

    Split(int from, int to, FloatVectorValues values) {
      this.from = from;
      this.to = to;
      this.values = values;
    }

    @Override
    protected void compute() {
      abortCheck.run();
      if (to - from < 2 * MIN_PARTITION) {
        return;
      }
      int mid = (from + to) >>> 1;
      try {
        FloatVectorValues mine = values != null ? values : vectors.copy();
        refine(mine, from, mid, to);
        if (to - from >= FORK_THRESHOLD && getPool() != null) {
          invokeAll(new Split(from, mid, null), new Split(mid, to, null));
        } else {
          new Split(from, mid, mine).compute();
          new Split(mid, to, mine).compute();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Moves the vectors of [from, to) between the halves at {@code mid} until they settle. */
  private void refine(FloatVectorValues values, int from, int mid, int to) throws IOException {
    double[] leftSum = new double[dimension];
    double[] rightSum = new double[dimension];
    for (int i = from; i < to; i++) {
      add(i < mid ? leftSum : rightSum, values.vectorValue(ords[i]), 1);
    }
    float[] direction = new float[dimension];
    double leftCount = mid - from;
    double rightCount = to - mid;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      for (int d = 0; d < dimension; d++) {
        direction[d] = (float) (rightSum[d] / rightCount - leftSum[d] / leftCount);
      }
      for (int i = from; i < to; i++) {
        keys[i] = VectorUtil.dotProduct(values.vectorValue(ords[i]), direction);
        wasLeft[ords[i]] = i < mid;
      }
      lowerHalf(from, mid, to);
      int moved = 0;
      for (int i = from; i < to; i++) {
        boolean left = i < mid;
        if (wasLeft[ords[i]] != left) {
          float[] vector = values.vectorValue(ords[i]);
          add(left ? leftSum : rightSum, vector, 1);
          add(left ? rightSum : leftSum, vector, -1);
          moved++;
        }
      }
      if (moved == 0) {
        return;
      }
    }
  }

  private static void add(double[] sum, float[] vector, int sign) {
    for (int d = 0; d < sum.length; d++) {
      sum[d] += sign * vector[d];
    }
  }

  /** Puts the vectors with the lowest keys in [from, mid), keys and ords moved together. */
  private void lowerHalf(int from, int mid, int to) {
    new IntroSelector() {
      private float pivot;

      @Override
      protected void setPivot(int i) {
        pivot = keys[i];
      }

      @Override
      protected int comparePivot(int j) {
        return Float.compare(pivot, keys[j]);
      }

      @Override
      protected void swap(int i, int j) {
        float key = keys[i];
        keys[i] = keys[j];
        keys[j] = key;
        int ord = ords[i];
        ords[i] = ords[j];
        ords[j] = ord;
      }
    }.select(from, to, mid);
  }
}
