package dev.strata.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrieval side of a diff: overlap and rank-biased overlap of the same queries on two snapshots. */
class RetrievalImpactTest {
  @TempDir Path dir;

  @Test
  void rankBiasedOverlapIsOneForTheSameRankingLowerForASwapAtTheTopZeroForDisjoint() {
    assertThat(RetrievalImpact.rbo(List.of("a", "b", "c"), List.of("a", "b", "c"), 3)).isEqualTo(1.0);
    double swapTop = RetrievalImpact.rbo(List.of("a", "b", "c"), List.of("b", "a", "c"), 3);
    double swapBottom = RetrievalImpact.rbo(List.of("a", "b", "c"), List.of("a", "c", "b"), 3);
    assertThat(swapTop).isLessThan(swapBottom).isLessThan(1.0).isGreaterThan(0.0);
    assertThat(RetrievalImpact.rbo(List.of("a", "b"), List.of("c", "d"), 2)).isZero();
    assertThat(RetrievalImpact.overlap(List.of("a", "b", "c"), List.of("c", "x", "a"), 3)).isEqualTo(2 / 3.0);
  }

  @Test
  void theQueryWhoseAnswerABadBatchChangedComesFirst() {
    try (VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.builder(2, Similarity.EUCLIDEAN).build())) {
      for (int i = 0; i < 20; i++) {
        index.upsert(Record.of("near-origin-" + i, new float[] {(i + 1) * 0.1f, 0}));
        index.upsert(Record.of("far-" + i, new float[] {100 + i, 100}));
      }
      long good = index.commit("good").id();
      index.upsert(Record.of("intruder", new float[] {0, 0})); // lands at the top of the origin query
      long bad = index.commit("bad").id();
      Map<String, SearchRequest> queries = Map.of(
          "origin", SearchRequest.builder(new float[] {0, 0}).build(),
          "far", SearchRequest.builder(new float[] {100, 100}).build());
      RetrievalImpact impact;
      try (SnapshotView before = index.history().open(Long.toString(good));
          SnapshotView after = index.history().open(Long.toString(bad))) {
        impact = RetrievalImpact.of(before, after, queries, 5);
      }
      assertThat(impact.queries()).extracting(RetrievalImpact.Query::id).containsExactly("origin", "far");
      assertThat(impact.queries().get(0).after().get(0)).isEqualTo("intruder");
      assertThat(impact.queries().get(0).rbo()).isLessThan(1.0);
      assertThat(impact.queries().get(1).rbo()).isEqualTo(1.0);
      assertThat(impact.meanOverlap()).isEqualTo((4 / 5.0 + 1) / 2);
    }
  }
}
