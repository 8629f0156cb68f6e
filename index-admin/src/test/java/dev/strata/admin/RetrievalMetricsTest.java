package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.strata.admin.RetrievalMetrics.QueryScores;
import dev.strata.admin.RetrievalMetrics.ScoredDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics on examples worked out by hand, as trec_eval defines them. */
class RetrievalMetricsTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void ndcgUsesGradedGainsAndTheIdealOrderOfAllJudgements() {
    // DCG = 1/log2(2) + 0 + 2/log2(4) = 2; ideal = 2/log2(2) + 1/log2(3)
    List<ScoredDoc> run = List.of(new ScoredDoc("b", 0.9), new ScoredDoc("x", 0.8), new ScoredDoc("a", 0.7));
    Map<String, Integer> judged = Map.of("a", 2, "b", 1, "c", 0);
    QueryScores s = RetrievalMetrics.score(run, judged);
    assertThat(s.ndcg10()).isCloseTo(2 / (2 + 1 / LOG2_3), offset(1e-12));
    assertThat(s.ndcg10()).isCloseTo(0.76019, offset(1e-5));
    assertThat(s.recall10()).isEqualTo(1.0);
    assertThat(s.mrr10()).isEqualTo(1.0);
  }

  @Test
  void equalScoresAreOrderedByDocumentIdDescendingAsTrecEvalDoes() {
    List<ScoredDoc> run = List.of(new ScoredDoc("a", 0.5), new ScoredDoc("b", 0.5));
    QueryScores s = RetrievalMetrics.score(run, Map.of("a", 1));
    assertThat(s.mrr10()).as("b ranks first on the tie").isEqualTo(0.5);
    assertThat(s.ndcg10()).isCloseTo(1 / LOG2_3, offset(1e-12));
  }

  @Test
  void theRunIsRankedByScoreWhateverOrderItCameIn() {
    List<ScoredDoc> run = List.of(new ScoredDoc("low", 0.1), new ScoredDoc("rel", 0.9));
    assertThat(RetrievalMetrics.score(run, Map.of("rel", 1)).mrr10()).isEqualTo(1.0);
  }

  @Test
  void recallAndReciprocalRankStopAtTheirCutoffs() {
    List<ScoredDoc> run = new ArrayList<>();
    for (int rank = 1; rank <= 120; rank++) {
      run.add(new ScoredDoc(String.format("d%03d", rank), 1000 - rank));
    }
    // relevant at ranks 3, 7 and 11 (in the top 10: two of three), and one never retrieved
    Map<String, Integer> judged = Map.of("d003", 1, "d007", 1, "d011", 1, "missing", 1, "d001", 0);
    QueryScores s = RetrievalMetrics.score(run, judged);
    assertThat(s.recall10()).isEqualTo(2.0 / 4);
    assertThat(s.recall100()).isEqualTo(3.0 / 4);
    assertThat(s.mrr10()).isEqualTo(1.0 / 3);

    QueryScores late = RetrievalMetrics.score(run, Map.of("d011", 1));
    assertThat(late.mrr10()).as("first relevant at rank 11").isZero();
    assertThat(late.ndcg10()).isZero();
    assertThat(late.recall100()).isEqualTo(1.0);
  }

  @Test
  void aQueryWithoutRelevantDocumentsScoresZeroAndCountsInTheMean() {
    List<ScoredDoc> run = List.of(new ScoredDoc("a", 1));
    QueryScores none = RetrievalMetrics.score(run, Map.of("a", 0));
    assertThat(none).isEqualTo(new QueryScores(0, 0, 0, 0));
    QueryScores perfect = RetrievalMetrics.score(run, Map.of("a", 1));
    assertThat(RetrievalMetrics.mean(List.of(none, perfect))).isEqualTo(new QueryScores(0.5, 0.5, 0.5, 0.5));
  }
}
