package dev.strata.core.monitor;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.Similarity;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A real index of clustered, normalised vectors (how a sentence model's output looks) and three
 * query streams: normal queries drawn like the corpus, queries from "another model" of the same
 * dimension (the normal queries with their coordinates permuted: same norms and spread, but a space
 * that does not line up with the index's), and random unit vectors.
 */
final class MonitoredCorpus {
  static final int DIM = 32;
  private static final int CLUSTERS = 20;

  final float[][] corpus;
  final float[][] normalQueries;
  private final int[] otherModel;

  MonitoredCorpus(long seed, int documents, int queries) {
    float[][] all = ClusteredVectors.normalizeAll(ClusteredVectors.generate(seed, documents + queries, DIM, CLUSTERS));
    corpus = Arrays.copyOf(all, documents);
    normalQueries = Arrays.copyOfRange(all, documents, documents + queries);
    Random random = new Random(seed + 1);
    otherModel = new int[DIM];
    for (int i = 0; i < DIM; i++) {
      otherModel[i] = i;
    }
    for (int i = DIM - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = otherModel[i];
      otherModel[i] = otherModel[j];
      otherModel[j] = t;
    }
  }

  VectorIndex create(Path dir, VectorEncoding encoding, IndexOptions options) {
    VectorIndex index = VectorIndex.create(dir, IndexSchema.builder(DIM, Similarity.COSINE).encoding(encoding).build(), options);
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < corpus.length; i++) {
      records.add(Record.of("d" + i, corpus[i]));
    }
    index.upsertAll(records);
    index.commit("corpus");
    awaitGraph(index); // a bulk load: recall is the graph's only once its build is done
    return index;
  }

  /** The i-th normal query as "another model" would embed it. */
  float[] otherModelQuery(int i) {
    float[] q = normalQueries[i % normalQueries.length];
    float[] out = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      out[d] = q[otherModel[d]];
    }
    return out;
  }

  static float[] randomUnitVector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return ClusteredVectors.normalize(v);
  }

  static SearchRequest request(float[] vector) {
    return SearchRequest.builder(vector).k(10).build();
  }

  private static void awaitGraph(VectorIndex index) {
    try {
      if (!index.awaitGraphBuild(java.time.Duration.ofMinutes(2))) {
        throw new AssertionError("the corpus's graph build did not end within 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
