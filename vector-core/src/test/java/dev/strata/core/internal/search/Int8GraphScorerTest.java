package dev.strata.core.internal.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The int8 scorer that scores four vectors at a time gives Lucene's own int8 scores bit for bit,
 * one vector at a time and in bulk, for every similarity, at a dimension that leaves a kernel tail,
 * from a memory-mapped file and from a buffered one.
 */
class Int8GraphScorerTest {
  private static final int DIM = 45;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Similarity.class)
  void scoresAsLucenesInt8ScorerDoesBitForBit(Similarity similarity) throws Exception {
    long seed = TestSeeds.seed("mapped-int8-" + similarity);
    Random random = new Random(seed);
    Path path = dir.resolve(similarity.name());
    IndexSchema schema = IndexSchema.builder(DIM, similarity).encoding(VectorEncoding.INT8).build();
    try (VectorIndex index = VectorIndex.create(path, schema, IndexOptions.builder().backgroundMerges(false).bulkLoadRecords(0).build())) {
      List<Record> records = new ArrayList<>();
      for (int i = 0; i < 1_500; i++) {
        records.add(Record.of("r-" + i, vector(random, similarity)));
      }
      index.upsertAll(records);
      index.commit("one segment");
    }
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      LeafReader leaf = reader.leaves().get(0).reader();
      Lucene99HnswVectorsReader hnsw = hnsw(leaf);
      VectorSimilarityFunction function = leaf.getFieldInfos().fieldInfo(LuceneDocuments.VECTOR).getVectorSimilarityFunction();
      for (int q = 0; q < 5; q++) {
        float[] query = vector(random, similarity);
        RandomVectorScorer mapped = Int8GraphScorer.of(hnsw, LuceneDocuments.VECTOR, function, query);
        RandomVectorScorer lucene = hnsw.getFlatVectorsReader().getRandomVectorScorer(LuceneDocuments.VECTOR, query);
        assertThat(mapped).as("an int8 segment").isNotNull();
        assertThat(mapped.maxOrd()).isEqualTo(lucene.maxOrd());
        int[] nodes = new int[mapped.maxOrd()];
        float[] expected = new float[nodes.length];
        for (int ord = 0; ord < nodes.length; ord++) {
          nodes[(ord * 7919) % nodes.length] = ord; // a scattered order, as a walk asks
          expected[ord] = lucene.score(ord);
          assertThat(mapped.score(ord)).as("%s ord %d query %d seed %d", similarity, ord, q, seed).isEqualTo(expected[ord]);
        }
        float[] bulk = new float[nodes.length];
        for (int from = 0; from < nodes.length; from += 23) { // batches not a multiple of four
          int count = Math.min(23, nodes.length - from);
          int[] batch = java.util.Arrays.copyOfRange(nodes, from, from + count);
          float[] scores = new float[count];
          float max = mapped.bulkScore(batch, scores, count);
          float expectedMax = Float.NEGATIVE_INFINITY;
          for (int i = 0; i < count; i++) {
            bulk[batch[i]] = scores[i];
            expectedMax = Math.max(expectedMax, expected[batch[i]]);
          }
          assertThat(max).isEqualTo(expectedMax);
        }
        assertThat(bulk).as("%s bulk, query %d seed %d", similarity, q, seed).containsExactly(expected);
      }
    }
    try (var directory = new NIOFSDirectory(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      LeafReader leaf = reader.leaves().get(0).reader();
      Lucene99HnswVectorsReader hnsw = hnsw(leaf);
      VectorSimilarityFunction function = leaf.getFieldInfos().fieldInfo(LuceneDocuments.VECTOR).getVectorSimilarityFunction();
      float[] query = vector(random, similarity);
      RandomVectorScorer buffered = Int8GraphScorer.of(hnsw, LuceneDocuments.VECTOR, function, query);
      RandomVectorScorer lucene = hnsw.getFlatVectorsReader().getRandomVectorScorer(LuceneDocuments.VECTOR, query);
      for (int ord = 0; ord < lucene.maxOrd(); ord += 97) {
        assertThat(buffered.score(ord)).as("a directory that does not map its files, ord %d", ord).isEqualTo(lucene.score(ord));
      }
    }
  }

  private static Lucene99HnswVectorsReader hnsw(LeafReader leaf) {
    return GraphWalk.hnswReader(leaf, LuceneDocuments.VECTOR);
  }

  private static float[] vector(Random random, Similarity similarity) {
    return GraphWalkTest.vector(random, DIM, similarity);
  }
}
