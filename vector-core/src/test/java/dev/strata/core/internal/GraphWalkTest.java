package dev.strata.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.VectorIndex;
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
            TopDocs walk = GraphWalk.search(segment, LuceneDocuments.VECTOR, query, ef);
            if (segment.getLiveDocs() != null || segment.maxDoc() < 100) {
              assertThat(walk).as("left to Lucene: deletions or a tiny segment").isNull();
              leftToLucene++;
              continue;
            }
            TopDocs lucene = segment.searchNearestVectors(LuceneDocuments.VECTOR, query, ef,
                AcceptDocs.fromLiveDocs(null, segment.maxDoc()), Integer.MAX_VALUE);
            assertThat(walk).as("a graph segment of %d vectors at ef %d", segment.maxDoc(), ef).isNotNull();
            assertThat(docs(walk)).as("seed %d, ef %d, query %d", seed, ef, q).containsExactly(docs(lucene));
            assertThat(scores(walk)).as("seed %d, ef %d, query %d", seed, ef, q).containsExactly(scores(lucene));
            walked++;
          }
        }
      }
    }
    assertThat(walked).isEqualTo(90);
    assertThat(leftToLucene).isEqualTo(180);
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

  /** Unit length for dot product (its contract), Gaussian otherwise. */
  private static float[] vector(Random random, Similarity similarity) {
    float[] v = new float[DIM];
    double norm = 0;
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
      norm += v[d] * v[d];
    }
    if (similarity == Similarity.DOT_PRODUCT) {
      for (int d = 0; d < DIM; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
    }
    return v;
  }
}
