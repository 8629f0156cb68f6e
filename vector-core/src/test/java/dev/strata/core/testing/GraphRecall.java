package dev.strata.core.testing;

import dev.strata.core.Hit;
import dev.strata.core.SearchRequest;
import dev.strata.core.index.VectorIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Recall@10 of an index's graph searches against its exact ones, for queries near indexed vectors. */
public final class GraphRecall {
  private GraphRecall() {}

  /** The mean over {@code queries} indexed vectors, each nudged in one seeded coordinate. */
  public static double mean(VectorIndex index, float[][] vectors, Random random, int queries) {
    double sum = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = vectors[random.nextInt(vectors.length)].clone();
      query[random.nextInt(query.length)] += 0.1f;
      Set<String> truth = new HashSet<>(ids(index, query, true));
      sum += ids(index, query, false).stream().filter(truth::contains).count() / 10.0;
    }
    return sum / queries;
  }

  public static List<String> ids(VectorIndex index, float[] query, boolean exact) {
    return index.search(SearchRequest.builder(query).k(10).exact(exact).idsOnly(true).build())
        .hits().stream().map(Hit::id).toList();
  }
}
