package dev.strata.core.snapshot;

import dev.strata.core.Hit;
import dev.strata.core.SearchRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a change did to retrieval: the same queries run on two snapshots, each query's top-k overlap
 * and rank-biased overlap (RBO, persistence 0.9: agreement at the top counts most), their means,
 * and the queries whose answers changed most. Pairs with {@link SnapshotDiff}: the diff says which
 * records changed, this says which answers did.
 *
 * @param k hits compared per query
 * @param meanOverlap mean over queries of |top-k before ∩ top-k after| / k
 * @param meanRbo mean rank-biased overlap
 * @param queries every query's figures, the most changed (lowest RBO) first
 */
public record RetrievalImpact(int k, double meanOverlap, double meanRbo, List<Query> queries) {
  /** RBO's persistence: the weight of rank d is 0.9^(d-1). */
  static final double PERSISTENCE = 0.9;

  public RetrievalImpact {
    queries = List.copyOf(queries);
  }

  /**
   * One query's comparison.
   *
   * @param id the query's id
   * @param overlap |top-k before ∩ top-k after| / k
   * @param rbo rank-biased overlap of the two rankings (1: the same, 0: disjoint)
   * @param before the ids answered before, best first
   * @param after the ids answered after
   */
  public record Query(String id, double overlap, double rbo, List<String> before, List<String> after) {
    public Query {
      before = List.copyOf(before);
      after = List.copyOf(after);
    }
  }

  /** Runs {@code queries} (by id; each asking {@code k} hits) on both views and compares the answers. */
  public static RetrievalImpact of(SnapshotView before, SnapshotView after, Map<String, SearchRequest> queries, int k) {
    List<Query> compared = new ArrayList<>(queries.size());
    for (Map.Entry<String, SearchRequest> query : queries.entrySet()) {
      SearchRequest request = query.getValue().toBuilder().k(k).idsOnly(true).build();
      List<String> a = before.search(request).hits().stream().map(Hit::id).toList();
      List<String> b = after.search(request).hits().stream().map(Hit::id).toList();
      compared.add(new Query(query.getKey(), overlap(a, b, k), rbo(a, b, k), a, b));
    }
    compared.sort(Comparator.comparingDouble(Query::rbo).thenComparing(Query::id));
    double overlap = compared.stream().mapToDouble(Query::overlap).average().orElse(1);
    double rbo = compared.stream().mapToDouble(Query::rbo).average().orElse(1);
    return new RetrievalImpact(k, overlap, rbo, compared);
  }

  static double overlap(List<String> a, List<String> b, int k) {
    Set<String> top = new HashSet<>(a.subList(0, Math.min(k, a.size())));
    long shared = b.subList(0, Math.min(k, b.size())).stream().filter(top::contains).count();
    return k == 0 ? 1 : shared / (double) k;
  }

  /**
   * Rank-biased overlap truncated at depth {@code k} (Webber, Moffat and Zobel 2010), normalised so
   * that two identical rankings score 1: sum over depths d of p^(d-1) x |A_d ∩ B_d| / d, divided by
   * the same sum for identical rankings.
   */
  static double rbo(List<String> a, List<String> b, int k) {
    Set<String> seenA = new HashSet<>();
    Set<String> seenB = new HashSet<>();
    int shared = 0;
    double score = 0;
    double perfect = 0;
    double weight = 1;
    for (int d = 1; d <= k; d++) {
      String x = d <= a.size() ? a.get(d - 1) : null;
      String y = d <= b.size() ? b.get(d - 1) : null;
      if (x != null && x.equals(y)) {
        shared++;
      } else {
        if (x != null && seenB.contains(x)) {
          shared++;
        }
        if (y != null && seenA.contains(y)) {
          shared++;
        }
      }
      if (x != null) {
        seenA.add(x);
      }
      if (y != null) {
        seenB.add(y);
      }
      int possible = Math.min(d, Math.max(a.size(), b.size()));
      score += weight * shared / d;
      perfect += weight * possible / d;
      weight *= PERSISTENCE;
    }
    return perfect == 0 ? 1 : score / perfect;
  }
}
