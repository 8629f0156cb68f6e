package dev.strata.core.internal.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The direct graph walk answers exactly as Lucene's own leaf search (documents and scores, for
 * every similarity and effort, seeded queries), and steps aside where Lucene would do more than
 * walk: segments with deleted documents and segments it scores exhaustively.
 */
class GraphWalkTest {
  private static final int DIM = 24;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Similarity.class)
  void walksExactlyAsLuceneDoesAndStepsAsideWhereLuceneDoesMore(Similarity similarity) throws Exception {
    long seed = TestSeeds.seed("graph-walk-" + similarity);
    Random random = new Random(seed);
    Path path = dir.resolve(similarity.name());
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).bulkLoadRecords(0).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, similarity).build(), options)) {
      index.upsertAll(records(random, "big", 4_000, similarity)); // one segment with its graph
      index.commit("big");
      index.upsertAll(records(random, "small", 60, similarity)); // too small for a walk to pay
      index.commit("small");
      index.upsertAll(records(random, "other", 3_000, similarity));
      index.commit("other");
      index.deleteAll(List.of("other-1", "other-2")); // a segment with deletions
      index.commit("deletions");
    }
    int walked = 0;
    int leftToLucene = 0;
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(3);
      for (LeafReaderContext leaf : reader.leaves()) {
        LeafReader segment = leaf.reader();
        for (int ef : new int[] {10, 24, 64}) {
          for (int q = 0; q < 30; q++) {
            float[] query = vector(random, similarity);
            TopDocs walk = GraphWalk.search(segment, LuceneDocuments.VECTOR, query, ef, SearchDeadline.NONE);
            if (segment.getLiveDocs() != null || segment.maxDoc() < 100) {
              assertThat(walk).as("left to Lucene: deletions or a tiny segment").isNull();
              leftToLucene++;
              continue;
            }
            TopDocs lucene = segment.searchNearestVectors(LuceneDocuments.VECTOR, query, ef,
                AcceptDocs.fromLiveDocs(null, segment.maxDoc()), Integer.MAX_VALUE);
            assertThat(walk).as("a graph segment of %d vectors at ef %d", segment.maxDoc(), ef).isNotNull();
            assertThat(docs(walk)).as("seed %d, ef %d, query %d", seed, ef, q).containsExactly(docs(lucene));
            // Within a few ulps: Lucene's SIMD scorer and its scalar fallback (before the JIT compiles
            // the former) round differently, and which one a search meets depends on JIT timing.
            float[] luceneScores = scores(lucene);
            float[] walkScores = scores(walk);
            for (int i = 0; i < walkScores.length; i++) {
              assertThat(walkScores[i]).as("seed %d, ef %d, query %d, hit %d", seed, ef, q, i)
                  .isCloseTo(luceneScores[i], org.assertj.core.data.Offset.offset(4 * Math.ulp(luceneScores[i])));
            }
            walked++;
          }
        }
      }
    }
    assertThat(walked).isEqualTo(90);
    assertThat(leftToLucene).isEqualTo(180);
  }

  /**
   * A deadline ends the walk inside the segment: fewer nodes visited, the candidates found so far
   * returned, the deadline marked reached; the filtered path (Lucene's query) stops the same way.
   */
  @org.junit.jupiter.api.Test
  void aDeadlineStopsTheWalkMidSegmentWithTheCandidatesFoundSoFar() throws Exception {
    long seed = TestSeeds.seed("graph-walk-deadline");
    Random random = new Random(seed);
    Path path = dir.resolve("deadline");
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).bulkLoadRecords(0).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(DIM, Similarity.EUCLIDEAN).build(), options)) {
      index.upsertAll(records(random, "r", 5_000, Similarity.EUCLIDEAN));
      index.commit("one segment with its graph");
    }
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      LeafReader segment = reader.leaves().get(0).reader();
      float[] query = vector(random, Similarity.EUCLIDEAN);
      TopDocs whole = GraphWalk.search(segment, LuceneDocuments.VECTOR, query, 64, SearchDeadline.NONE);
      long[] looks = {0};
      GraphWalk.search(segment, LuceneDocuments.VECTOR, query, 64, SearchDeadline.at(Long.MAX_VALUE - 1, () -> looks[0]++));
      long[] ticks = {0};
      // Passes half-way through the walk: each look at the clock is a tick.
      SearchDeadline deadline = SearchDeadline.at(looks[0] / 2, () -> ticks[0]++);
      TopDocs cut = GraphWalk.search(segment, LuceneDocuments.VECTOR, query, 64, deadline);
      assertThat(deadline.reached()).as("seed %d", seed).isTrue();
      assertThat(cut.totalHits.value()).as("nodes visited, seed %d", seed).isPositive().isLessThan(whole.totalHits.value());
      assertThat(cut.scoreDocs).isNotEmpty();
      assertThat(docs(cut)).doesNotHaveDuplicates();

      SnapshotSearcher searcher = new SnapshotSearcher(reader);
      org.apache.lucene.search.Query everything = new org.apache.lucene.search.FieldExistsQuery(LuceneDocuments.VECTOR);
      int full = searcher.knn(query, 64, everything, false).length;
      long[] filteredTicks = {0};
      SearchDeadline filteredDeadline = SearchDeadline.at(looks[0] / 2, () -> filteredTicks[0]++);
      org.apache.lucene.search.ScoreDoc[] partial = searcher.knn(query, 64, everything, false, filteredDeadline);
      assertThat(filteredDeadline.reached()).isTrue();
      assertThat(partial.length).isLessThanOrEqualTo(full);
      assertThat(full).isEqualTo(64);
    }
  }

  /**
   * Across segments: a walk given the scores the segment before it shared visits fewer nodes (6%
   * here, 64 dimensions; 15-40% of the search time at 384) and loses next to nothing of the merged
   * top 10; the first segment, with nothing before it, walks exactly as alone.
   */
  @org.junit.jupiter.api.Test
  void aWalkAfterALargerSegmentStopsWhereItsCandidatesCannotEnterTheBest() throws Exception {
    long seed = TestSeeds.seed("graph-walk-segments");
    Path path = dir.resolve("segments");
    int dim = 64;
    float[][] vectors = dev.strata.core.testing.ClusteredVectors.generate(seed, 10_000 + 40, dim, 30);
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).bulkLoadRecords(0).build();
    try (VectorIndex index = VectorIndex.create(path, IndexSchema.builder(dim, Similarity.COSINE).build(), options)) {
      List<Record> big = new ArrayList<>();
      List<Record> small = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        (i < 8_000 ? big : small).add(Record.of("r-" + i, vectors[i]));
      }
      index.upsertAll(big);
      index.commit("big");
      index.upsertAll(small);
      index.commit("small");
    }
    int ef = 32;
    long visitedAlone = 0;
    long visitedAfter = 0;
    int kept = 0;
    int queries = 40;
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(2);
      LeafReader big = reader.leaves().get(0).reader();
      LeafReader small = reader.leaves().get(1).reader();
      for (int q = 0; q < queries; q++) {
        float[] query = vectors[10_000 + q];
        org.apache.lucene.util.hnsw.BlockingFloatHeap bar = new org.apache.lucene.util.hnsw.BlockingFloatHeap(ef);
        TopDocs first = GraphWalk.search(big, LuceneDocuments.VECTOR, query, ef, SearchDeadline.NONE, bar);
        assertThat(docs(first)).as("seed %d, query %d", seed, q)
            .containsExactly(docs(GraphWalk.search(big, LuceneDocuments.VECTOR, query, ef, SearchDeadline.NONE)));
        TopDocs alone = GraphWalk.search(small, LuceneDocuments.VECTOR, query, ef, SearchDeadline.NONE);
        TopDocs after = GraphWalk.search(small, LuceneDocuments.VECTOR, query, ef, SearchDeadline.NONE, bar);
        visitedAlone += alone.totalHits.value();
        visitedAfter += after.totalHits.value();
        java.util.Set<String> expected = top10(first, alone, big.maxDoc());
        java.util.Set<String> got = top10(first, after, big.maxDoc());
        got.retainAll(expected);
        kept += got.size();
      }
    }
    assertThat(visitedAfter).as("nodes the small segment's walks visited, seed %d", seed).isLessThan(visitedAlone);
    assertThat(kept).as("top-10 documents kept, seed %d", seed).isGreaterThanOrEqualTo(queries * 10 * 98 / 100);
  }

  /** The best 10 of two segments' hits, as "segment:doc" (the second segment's docs after {@code firstSize}). */
  private static java.util.Set<String> top10(TopDocs first, TopDocs second, int firstSize) {
    List<org.apache.lucene.search.ScoreDoc> all = new ArrayList<>(List.of(first.scoreDocs));
    for (org.apache.lucene.search.ScoreDoc sd : second.scoreDocs) {
      all.add(new org.apache.lucene.search.ScoreDoc(firstSize + sd.doc, sd.score));
    }
    all.sort(ExactKnn.BEST_FIRST);
    java.util.Set<String> top = new java.util.HashSet<>();
    for (int i = 0; i < Math.min(10, all.size()); i++) {
      top.add(Integer.toString(all.get(i).doc));
    }
    return top;
  }

  private static int[] docs(TopDocs top) {
    return java.util.Arrays.stream(top.scoreDocs).mapToInt(sd -> sd.doc).toArray();
  }

  private static float[] scores(TopDocs top) {
    float[] scores = new float[top.scoreDocs.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = top.scoreDocs[i].score;
    }
    return scores;
  }

  private static List<Record> records(Random random, String prefix, int count, Similarity similarity) {
    List<Record> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(Record.of(prefix + "-" + i, vector(random, similarity)));
    }
    return records;
  }

  private static float[] vector(Random random, Similarity similarity) {
    return vector(random, DIM, similarity);
  }

  /** Unit length for dot product (its contract), Gaussian otherwise. */
  static float[] vector(Random random, int dim, Similarity similarity) {
    float[] v = new float[dim];
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextGaussian();
      norm += v[d] * v[d];
    }
    if (similarity == Similarity.DOT_PRODUCT) {
      for (int d = 0; d < dim; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
    }
    return v;
  }
}
