package dev.strata.core.internal.search;

import dev.strata.core.kernels.VectorKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact k-nearest-neighbour search: every live stored float32 vector scored against the query by
 * {@link VectorKernels}, in blocks of {@link #BLOCK} so the batched kernels can score several rows
 * per query load. Segments are cut into chunks scored in parallel on the common fork-join pool,
 * each keeping its own top-k heap; the heaps are merged at the end. Scores are on Lucene's scale
 * for the field's similarity, so exact and HNSW hits compare directly.
 */
final class ExactKnn {
  private static final int CHUNK = 16_384;
  private static final int BLOCK = 64;
  /** Best first; equal scores by document, as Lucene's own top-docs order them. */
  static final Comparator<ScoreDoc> BEST_FIRST =
      Comparator.<ScoreDoc>comparingDouble(sd -> -sd.score).thenComparingInt(sd -> sd.doc);

  private ExactKnn() {}

  static ScoreDoc[] search(
      IndexSearcher searcher, String field, float[] query, int k, Query filter,
      VectorSimilarityFunction similarity) throws IOException {
    Weight filterWeight = filter == null ? null
        : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<Chunk> chunks = new ArrayList<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null || values.size() == 0) {
        continue;
      }
      Bits accept = accepted(leaf, filterWeight);
      if (accept == NONE) {
        continue;
      }
      for (int from = 0; from < values.size(); from += CHUNK) {
        chunks.add(new Chunk(leaf, values, accept, from, Math.min(values.size(), from + CHUNK)));
      }
    }
    List<ScoreDoc> all = IntStream.range(0, chunks.size()).parallel()
        .mapToObj(i -> chunks.get(i).topK(query, k, similarity))
        .flatMap(List::stream)
        .sorted(BEST_FIRST)
        .limit(k)
        .toList();
    return all.toArray(ScoreDoc[]::new);
  }

  private static final Bits NONE = new Bits.MatchNoBits(0);

  /** Live documents that match the filter; {@code null} means all; {@link #NONE} means none. */
  private static Bits accepted(LeafReaderContext leaf, Weight filter) throws IOException {
    Bits live = leaf.reader().getLiveDocs();
    if (filter == null) {
      return live;
    }
    Scorer scorer = filter.scorer(leaf);
    if (scorer == null) {
      return NONE;
    }
    FixedBitSet matches = new FixedBitSet(leaf.reader().maxDoc());
    DocIdSetIterator it = scorer.iterator();
    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      if (live == null || live.get(doc)) {
        matches.set(doc);
      }
    }
    return matches;
  }

  /** Vector ordinals {@code [from, to)} of one segment. */
  private record Chunk(LeafReaderContext leaf, FloatVectorValues shared, Bits accept, int from, int to) {

    List<ScoreDoc> topK(float[] query, int k, VectorSimilarityFunction similarity) {
      try {
        FloatVectorValues values = shared.copy(); // a reader's vector values are not thread-safe
        int dim = query.length;
        float[] block = new float[BLOCK * dim];
        int[] docs = new int[BLOCK];
        float[] raw = new float[BLOCK];
        PriorityQueue<ScoreDoc> heap = new PriorityQueue<>(k + 1, BEST_FIRST.reversed());
        int filled = 0;
        for (int ord = from; ord < to; ord++) {
          int doc = values.ordToDoc(ord);
          if (accept != null && !accept.get(doc)) {
            continue;
          }
          float[] vector = values.vectorValue(ord);
          if (similarity == VectorSimilarityFunction.COSINE) {
            // No batched cosine kernel: score the vector where it lies instead of copying it twice.
            docs[0] = doc;
            raw[0] = Math.max((1 + VectorKernels.cosine(query, vector)) / 2, 0);
            offer(heap, k, docs, raw, 1);
            continue;
          }
          System.arraycopy(vector, 0, block, filled * dim, dim);
          docs[filled++] = doc;
          if (filled == BLOCK) {
            score(query, block, filled, raw, similarity);
            offer(heap, k, docs, raw, filled);
            filled = 0;
          }
        }
        if (filled > 0) {
          score(query, block, filled, raw, similarity);
          offer(heap, k, docs, raw, filled);
        }
        return new ArrayList<>(heap);
      } catch (IOException e) {
        throw new UncheckedIOException("exact search of segment " + leaf.ord, e);
      }
    }

    private void offer(PriorityQueue<ScoreDoc> heap, int k, int[] docs, float[] scores, int count) {
      for (int i = 0; i < count; i++) {
        int doc = leaf.docBase + docs[i];
        if (heap.size() < k) {
          heap.add(new ScoreDoc(doc, scores[i]));
          continue;
        }
        ScoreDoc worst = heap.peek(); // allocate only for a candidate that beats it (BEST_FIRST's order)
        if (scores[i] > worst.score || (scores[i] == worst.score && doc < worst.doc)) {
          heap.poll();
          heap.add(new ScoreDoc(doc, scores[i]));
        }
      }
    }
  }

  /** Scores {@code count} rows of {@code block} as Lucene's similarity function would (not cosine). */
  private static void score(
      float[] query, float[] block, int count, float[] scores, VectorSimilarityFunction similarity) {
    switch (similarity) {
      case EUCLIDEAN -> {
        VectorKernels.squareDistanceBatch(query, block, 0, count, scores);
        for (int i = 0; i < count; i++) {
          scores[i] = 1 / (1 + scores[i]);
        }
      }
      case DOT_PRODUCT -> {
        VectorKernels.dotProductBatch(query, block, 0, count, scores);
        for (int i = 0; i < count; i++) {
          scores[i] = Math.max((1 + scores[i]) / 2, 0);
        }
      }
      case MAXIMUM_INNER_PRODUCT -> {
        VectorKernels.dotProductBatch(query, block, 0, count, scores);
        for (int i = 0; i < count; i++) {
          scores[i] = VectorUtil.scaleMaxInnerProductScore(scores[i]);
        }
      }
      case COSINE -> throw new AssertionError("cosine is scored one vector at a time");
    }
  }
}
