package dev.strata.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The standard retrieval metrics, computed as trec_eval (and so pytrec_eval, BEIR and MTEB) does.
 *
 * <ul>
 *   <li>A run is ranked by score, highest first, ties broken by document id in reverse
 *       lexicographic order (trec_eval's rule), whatever order it was given in.
 *   <li>nDCG@k: gains are the graded relevances themselves (linear), discounted by {@code
 *       log2(rank + 1)}; the ideal ranking sorts all the query's judged relevances.
 *   <li>recall@k: relevant documents (relevance above 0) in the top k over all relevant ones.
 *   <li>MRR@k: the reciprocal rank of the first relevant document in the top k, else 0.
 *   <li>A query without any relevant document scores 0 on every metric and still counts in the
 *       mean (trec_eval does the same for queries in the judgements file).
 * </ul>
 */
final class RetrievalMetrics {
  private RetrievalMetrics() {}

  record ScoredDoc(String id, double score) {}

  /** Per-query values. */
  record QueryScores(double ndcg10, double recall10, double recall100, double mrr10) {}

  static final Comparator<ScoredDoc> TREC_ORDER =
      Comparator.comparingDouble(ScoredDoc::score).reversed()
          .thenComparing(ScoredDoc::id, Comparator.reverseOrder());

  static QueryScores score(List<ScoredDoc> run, Map<String, Integer> judgements) {
    List<ScoredDoc> ranked = new ArrayList<>(run);
    ranked.sort(TREC_ORDER);
    return new QueryScores(
        ndcg(ranked, judgements, 10), recall(ranked, judgements, 10), recall(ranked, judgements, 100),
        reciprocalRank(ranked, judgements, 10));
  }

  static double ndcg(List<ScoredDoc> ranked, Map<String, Integer> judgements, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int gain = Math.max(0, judgements.getOrDefault(ranked.get(i).id(), 0));
      dcg += gain / log2(i + 2);
    }
    List<Integer> ideal = judgements.values().stream().filter(g -> g > 0).sorted(Comparator.reverseOrder()).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  static double recall(List<ScoredDoc> ranked, Map<String, Integer> judgements, int k) {
    long relevant = judgements.values().stream().filter(g -> g > 0).count();
    if (relevant == 0) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(d -> judgements.getOrDefault(d.id(), 0) > 0).count();
    return (double) found / relevant;
  }

  static double reciprocalRank(List<ScoredDoc> ranked, Map<String, Integer> judgements, int k) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (judgements.getOrDefault(ranked.get(i).id(), 0) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** The means over queries. */
  static QueryScores mean(List<QueryScores> perQuery) {
    int n = perQuery.size();
    if (n == 0) {
      throw new IllegalArgumentException("no queries to average");
    }
    return new QueryScores(
        perQuery.stream().mapToDouble(QueryScores::ndcg10).sum() / n,
        perQuery.stream().mapToDouble(QueryScores::recall10).sum() / n,
        perQuery.stream().mapToDouble(QueryScores::recall100).sum() / n,
        perQuery.stream().mapToDouble(QueryScores::mrr10).sum() / n);
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
