package dev.strata.core.internal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.Record;
import dev.strata.core.SearchPath;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An unfiltered search of a quantized index walks each segment's quantized graph directly and
 * rescores the candidates against the stored float32 vectors: on one segment the same documents
 * and scores as Lucene's query path (its kNN query wrapped in the full-precision rescorer); on
 * several, including one with deletions (Lucene's leaf search), every score is the exact float32
 * similarity and the hits come best first. Such a search reports the graph path; a filtered one,
 * Lucene's query.
 */
class QuantizedWalkTest {
  private static final int DIM = 32;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = VectorEncoding.class, names = {"INT8", "INT4", "BINARY"})
  void rescoresTheQuantizedWalksCandidatesAsLucenesQueryPathDoes(VectorEncoding encoding) throws Exception {
    long seed = TestSeeds.seed("quantized-walk-" + encoding);
    float[][] vectors = ClusteredVectors.generate(seed, 6_000 + 20, DIM, 20);
    Path path = dir.resolve(encoding.name());
    IndexOptions options = IndexOptions.builder().backgroundMerges(false).bulkLoadRecords(0).build();
    IndexSchema schema = IndexSchema.builder(DIM, Similarity.COSINE).encoding(encoding).build();
    try (VectorIndex index = VectorIndex.create(path, schema, options)) {
      index.upsertAll(records(vectors, 0, 4_000));
      index.commit("one segment with its graph");
    }
    int ef = 40;
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(1);
      SnapshotSearcher searcher = new SnapshotSearcher(reader);
      for (int q = 0; q < 20; q++) {
        float[] query = vectors[6_000 + q];
        ScoreDoc[] walk = searcher.knn(query, ef, null, true);
        ScoreDoc[] lucene = searcher.search(RescoreTopNQuery.createFullPrecisionRescorerQuery(
            new KnnFloatVectorQuery(LuceneDocuments.VECTOR, query, ef), query, LuceneDocuments.VECTOR, ef), ef).scoreDocs;
        assertThat(docs(walk)).as("%s, seed %d, query %d", encoding, seed, q).containsExactly(docs(lucene));
        assertExactAndBestFirst(reader, query, walk);
      }
    }

    try (VectorIndex index = VectorIndex.open(path, options)) {
      index.upsertAll(records(vectors, 4_000, 6_000));
      index.commit("a second segment");
      index.deleteAll(List.of("r-1", "r-2", "r-3")); // the first segment now has deletions: Lucene's leaf search
      index.commit("deletions");
      SearchRequest.Builder request = SearchRequest.builder(vectors[6_000]).k(10);
      assertThat(index.search(request.build()).path()).isEqualTo(SearchPath.GRAPH);
      assertThat(index.search(request.filter(MetadataFilter.term("half", "even")).build()).path())
          .isEqualTo(SearchPath.LUCENE_QUERY);
    }
    try (var directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(2);
      SnapshotSearcher searcher = new SnapshotSearcher(reader);
      for (int q = 0; q < 20; q++) {
        float[] query = vectors[6_000 + q];
        ScoreDoc[] walk = searcher.knn(query, ef, null, true);
        assertThat(walk).as("%s, seed %d, query %d", encoding, seed, q).hasSize(ef);
        assertExactAndBestFirst(reader, query, walk);
      }
    }
  }

  /** Each hit's score is the float32 cosine of its stored vector, and no hit follows a better one. */
  private static void assertExactAndBestFirst(DirectoryReader reader, float[] query, ScoreDoc[] hits) throws Exception {
    for (int i = 0; i < hits.length; i++) {
      LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(hits[i].doc, reader.leaves()));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneDocuments.VECTOR);
      var it = values.iterator();
      int local = hits[i].doc - leaf.docBase;
      assertThat(it.advance(local)).isEqualTo(local);
      float exact = VectorSimilarityFunction.COSINE.compare(query, values.vectorValue(it.index()));
      assertThat(hits[i].score).as("hit %d", i).isCloseTo(exact, within(1e-5f));
      if (i > 0) {
        assertThat(hits[i].score).as("hit %d after %d", i, i - 1).isLessThanOrEqualTo(hits[i - 1].score);
      }
    }
  }

  private static List<Record> records(float[][] vectors, int from, int to) {
    List<Record> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new Record("r-" + i, vectors[i], null, java.util.Map.of("half", i % 2 == 0 ? "even" : "odd")));
    }
    return records;
  }

  private static Integer[] docs(ScoreDoc[] hits) {
    return Arrays.stream(hits).map(sd -> sd.doc).toArray(Integer[]::new);
  }
}
