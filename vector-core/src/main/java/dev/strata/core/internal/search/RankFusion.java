package dev.strata.core.internal.search;

import dev.strata.core.Fusion;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/** Merges a vector ranking and a BM25 ranking, each best first, into one ranking by a {@link Fusion}. */
public final class RankFusion {
  private RankFusion() {}

  public static ScoreDoc[] fuse(ScoreDoc[] vectorHits, ScoreDoc[] textHits, Fusion fusion) {
    Map<Integer, Float> fused = new HashMap<>();
    switch (fusion.kind()) {
      case RECIPROCAL_RANK -> {
        addReciprocalRanks(fused, vectorHits, fusion.rankConstant());
        addReciprocalRanks(fused, textHits, fusion.rankConstant());
      }
      case WEIGHTED -> {
        addNormalised(fused, vectorHits, fusion.vectorWeight());
        addNormalised(fused, textHits, 1 - fusion.vectorWeight());
      }
    }
    return fused.entrySet().stream()
        .map(e -> new ScoreDoc(e.getKey(), e.getValue()))
        .sorted(ExactKnn.BEST_FIRST)
        .toArray(ScoreDoc[]::new);
  }

  private static void addReciprocalRanks(Map<Integer, Float> fused, ScoreDoc[] hits, int rankConstant) {
    for (int rank = 1; rank <= hits.length; rank++) {
      fused.merge(hits[rank - 1].doc, 1f / (rankConstant + rank), Float::sum);
    }
  }

  /** Min-max normalised: the list's best hit adds the full weight, its worst adds 0. */
  private static void addNormalised(Map<Integer, Float> fused, ScoreDoc[] hits, float weight) {
    if (hits.length == 0) {
      return;
    }
    float max = hits[0].score;
    float min = hits[hits.length - 1].score;
    float range = max - min;
    for (ScoreDoc hit : hits) {
      float normalised = range > 0 ? (hit.score - min) / range : 1f;
      fused.merge(hit.doc, weight * normalised, Float::sum);
    }
  }
}
