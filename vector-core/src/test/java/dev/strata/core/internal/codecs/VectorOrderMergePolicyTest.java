package dev.strata.core.internal.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.LuceneFields;
import dev.strata.core.testing.ClusteredVectors;
import dev.strata.core.testing.TestSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large merge writes its documents in bisection order: the same documents (deleted ones gone,
 * those without a vector kept), with vectors close in space now close in doc id, the same order on
 * one thread or two; a merge under the threshold, or into a segment that holds most of it with its
 * graph, keeps Lucene's order. Real Lucene segments on disk.
 */
class VectorOrderMergePolicyTest {
  private static final int DIM = 16;
  private static final int COUNT = 3_000;

  @TempDir Path dir;

  @Test
  void aLargeMergeKeepsEveryDocumentAndPutsNeighboursNextToEachOther() throws IOException {
    long seed = TestSeeds.seed("vector-order");
    float[][] vectors = ClusteredVectors.generate(seed, COUNT, DIM, 30); // clusters interleaved in id order
    Map<String, float[]> before = new HashMap<>();
    for (int i = 0; i < COUNT; i++) {
      before.put("v" + i, vectors[i]);
    }
    Path path = dir.resolve("ordered");
    try (Directory directory = FSDirectory.open(path)) {
      write(directory, vectors, new VectorOrderMergePolicy(forcedOnly(), 500, 2));
      List<String> order = idsInDocOrder(directory);
      Map<String, float[]> after = vectorsById(directory);

      assertThat(order).as("deleted documents are gone, the vector-less ones kept")
          .hasSize(COUNT - COUNT / 10 + 5).doesNotContain("v0", "v10").contains("plain0", "plain4");
      for (int i = 1; i < COUNT; i++) {
        if (i % 10 != 0) {
          assertThat(after.get("v" + i)).as("the vector of v" + i).containsExactly(before.get("v" + i));
        }
      }
      // Neighbours in space now neighbours in doc id (within the shuffled blocks): most steps from
      // one document's vector to the next are short, where in id order few were.
      double near = 0.6 * meanStep(inIdOrder(order), after);
      double reordered = shortSteps(order, after, near);
      double original = shortSteps(inIdOrder(order), after, near);
      assertThat(reordered).as("share of consecutive documents with near vectors, against %.3f before", original)
          .isGreaterThan(0.7).isGreaterThan(3 * original);
    }
  }

  @Test
  void theOrderDoesNotDependOnTheNumberOfThreads() throws IOException {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("vector-order-threads"), COUNT, DIM, 30);
    List<List<String>> orders = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      try (Directory directory = FSDirectory.open(dir.resolve("threads-" + threads))) {
        write(directory, vectors, new VectorOrderMergePolicy(forcedOnly(), 500, threads));
        orders.add(idsInDocOrder(directory));
      }
    }
    assertThat(orders.get(1)).isEqualTo(orders.get(0));
  }

  @Test
  void aMergeUnderTheThresholdKeepsLucenesOrder() throws IOException {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("vector-order-small"), COUNT, DIM, 30);
    List<List<String>> orders = new ArrayList<>();
    for (MergePolicy policy : List.of(forcedOnly(),
        new VectorOrderMergePolicy(forcedOnly(), COUNT + 100, 2))) {
      try (Directory directory = FSDirectory.open(dir.resolve("small-" + orders.size()))) {
        write(directory, vectors, policy);
        orders.add(idsInDocOrder(directory));
      }
    }
    assertThat(orders.get(1)).isEqualTo(orders.get(0));
  }

  @Test
  void aMergeIntoALargerSegmentWithItsGraphKeepsThatSegmentsOrder() throws IOException {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("vector-order-incremental"), COUNT, DIM, 30);
    try (Directory directory = FSDirectory.open(dir.resolve("incremental"))) {
      write(directory, vectors, new VectorOrderMergePolicy(forcedOnly(), 500, 2));
      List<String> first = idsInDocOrder(directory);
      IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(new VectorOrderMergePolicy(forcedOnly(), 500, 2));
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < 600; i++) {
          writer.addDocument(document("more" + i, vectors[i]));
        }
        writer.forceMerge(1); // 2,705 with a graph and 600 new: Lucene adds the 600 to that graph
        writer.commit();
      }
      List<String> after = idsInDocOrder(directory);
      assertThat(after.subList(0, first.size())).isEqualTo(first);
      assertThat(after.subList(first.size(), after.size())).startsWith("more0", "more1", "more2");
    }
  }

  @Test
  void blocksGrowWithTheMergeFromTheSmallestToTheLargest() {
    java.util.Random random = new java.util.Random(TestSeeds.seed("vector-order-blocks"));
    assertThat(VectorBisection.blockSize(100_000)).isEqualTo(VectorBisection.MIN_BLOCK);
    assertThat(VectorBisection.blockSize(1_000_000)).isEqualTo(VectorBisection.MAX_BLOCK);
    assertThat(VectorBisection.blockSize(Integer.MAX_VALUE)).isEqualTo(VectorBisection.MAX_BLOCK);
    for (int i = 0; i < 1_000; i++) {
      int smaller = random.nextInt(5_000_000);
      int larger = smaller + random.nextInt(5_000_000);
      int block = VectorBisection.blockSize(smaller);
      assertThat(Integer.bitCount(block)).as("a power of two for %d vectors", smaller).isEqualTo(1);
      assertThat(block).isBetween(VectorBisection.MIN_BLOCK, VectorBisection.MAX_BLOCK)
          .isLessThanOrEqualTo(VectorBisection.blockSize(larger));
    }
  }

  @Test
  void anAbortedMergeStopsTheBisectionWithItsException() throws IOException {
    float[][] vectors = ClusteredVectors.generate(TestSeeds.seed("vector-order-abort"), COUNT, DIM, 30);
    try (Directory directory = FSDirectory.open(dir.resolve("abort"))) {
      write(directory, vectors, forcedOnly());
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        CodecReader segment = (CodecReader) reader.leaves().getFirst().reader();
        AtomicInteger checks = new AtomicInteger();
        Runnable abortOnTheTenthCheck = () -> {
          if (checks.incrementAndGet() >= 10) {
            throw new UncheckedIOException(new MergePolicy.MergeAbortedException("merge aborted"));
          }
        };
        assertThatThrownBy(() -> VectorBisection.docMap(segment, LuceneFields.VECTOR, 500, 2, abortOnTheTenthCheck))
            .isInstanceOf(MergePolicy.MergeAbortedException.class).hasMessage("merge aborted");
        assertThat(VectorBisection.docMap(segment, LuceneFields.VECTOR, 500, 1, () -> { }).size())
            .as("without an abort, an order for every document").isEqualTo(segment.maxDoc());
      }
    }
  }

  private static MergePolicy forcedOnly() {
    return new CompactionOnlyMergePolicy(new TieredMergePolicy());
  }

  private static Document document(String id, float[] vector) {
    Document doc = new Document();
    doc.add(new StringField("id", id, Field.Store.YES));
    doc.add(new KnnFloatVectorField(LuceneFields.VECTOR, vector, VectorSimilarityFunction.EUCLIDEAN));
    return doc;
  }

  /** Vectors in segments of 400, every tenth deleted, five documents without a vector, merged to one. */
  private static void write(Directory directory, float[][] vectors, MergePolicy policy) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(policy);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int i = 0; i < vectors.length; i++) {
        writer.addDocument(document("v" + i, vectors[i]));
        if (i % 400 == 399) {
          writer.flush();
        }
      }
      for (int i = 0; i < 5; i++) {
        Document doc = new Document();
        doc.add(new StringField("id", "plain" + i, Field.Store.YES));
        writer.addDocument(doc);
      }
      for (int i = 0; i < vectors.length; i += 10) {
        writer.deleteDocuments(new Term("id", "v" + i));
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  private static List<String> idsInDocOrder(Directory directory) throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      assertThat(reader.leaves()).hasSize(1);
      LeafReader leaf = reader.leaves().getFirst().reader();
      for (int doc = 0; doc < leaf.maxDoc(); doc++) {
        if (leaf.getLiveDocs() == null || leaf.getLiveDocs().get(doc)) {
          ids.add(leaf.storedFields().document(doc).get("id"));
        }
      }
    }
    return ids;
  }

  private static Map<String, float[]> vectorsById(Directory directory) throws IOException {
    Map<String, float[]> byId = new HashMap<>();
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      LeafReader leaf = reader.leaves().getFirst().reader();
      FloatVectorValues values = leaf.getFloatVectorValues(LuceneFields.VECTOR);
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        byId.put(leaf.storedFields().document(doc).get("id"), values.vectorValue(it.index()).clone());
      }
    }
    return byId;
  }

  /** The ids sorted as they were written: v0, v1, ... then the vector-less ones. */
  private static List<String> inIdOrder(List<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort((a, b) -> a.charAt(0) != b.charAt(0) ? b.charAt(0) - a.charAt(0)
        : Integer.compare(Integer.parseInt(a.substring(a.charAt(0) == 'v' ? 1 : 5)),
            Integer.parseInt(b.substring(b.charAt(0) == 'v' ? 1 : 5))));
    return sorted;
  }

  private static double shortSteps(List<String> order, Map<String, float[]> vectors, double near) {
    double[] steps = steps(order, vectors);
    return (double) java.util.Arrays.stream(steps).filter(step -> step < near).count() / steps.length;
  }

  private static double meanStep(List<String> order, Map<String, float[]> vectors) {
    return java.util.Arrays.stream(steps(order, vectors)).average().orElseThrow();
  }

  /** The distance from each vector to the one before it in {@code order}, skipping documents without one. */
  private static double[] steps(List<String> order, Map<String, float[]> vectors) {
    java.util.stream.DoubleStream.Builder steps = java.util.stream.DoubleStream.builder();
    float[] previous = null;
    for (String id : order) {
      float[] v = vectors.get(id);
      if (v != null && previous != null) {
        steps.add(Math.sqrt(VectorUtil.squareDistance(previous, v)));
      }
      previous = v;
    }
    return steps.build().toArray();
  }
}
