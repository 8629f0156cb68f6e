package dev.strata.core.testing;

import dev.strata.core.Similarity;
import dev.strata.core.internal.records.LuceneDocuments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import org.apache.lucene.index.VectorSimilarityFunction;

/** Exact k-nearest neighbours with Lucene's own scoring functions: the ground truth for recall. */
public final class BruteForce {
  private BruteForce() {}

  /** Indexes (into {@code vectors}) of the k best matches among those {@code accept} lets in. */
  public static List<Integer> topK(
      float[][] vectors, float[] query, int k, Similarity similarity, IntPredicate accept) {
    VectorSimilarityFunction function = LuceneDocuments.luceneSimilarity(similarity);
    record Scored(int index, float score) {}
    PriorityQueue<Scored> heap = new PriorityQueue<>(Comparator.comparingDouble(Scored::score));
    for (int i = 0; i < vectors.length; i++) {
      if (!accept.test(i)) {
        continue;
      }
      float score = function.compare(query, vectors[i]);
      if (heap.size() < k) {
        heap.add(new Scored(i, score));
      } else if (score > heap.peek().score()) {
        heap.poll();
        heap.add(new Scored(i, score));
      }
    }
    List<Integer> best = new ArrayList<>(heap.size());
    while (!heap.isEmpty()) {
      best.add(heap.poll().index());
    }
    return best.reversed();
  }

  public static List<Integer> topK(float[][] vectors, float[] query, int k, Similarity similarity) {
    return topK(vectors, query, k, similarity, i -> true);
  }
}
