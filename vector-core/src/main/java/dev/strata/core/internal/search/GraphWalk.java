package dev.strata.core.internal.search;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.MultiLeafKnnCollector;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.SparseFixedBitSet;
import org.apache.lucene.util.hnsw.BlockingFloatHeap;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborQueue;
import org.apache.lucene.util.hnsw.OrdinalTranslatedKnnCollector;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * The unfiltered search of one segment straight through its HNSW graph: Lucene's own graph
 * searcher and the scorer the segment's format gives (float32's bulk scorer, or a quantized
 * encoding's, whose candidates the caller rescores; for int8, {@link Int8GraphScorer}, Lucene's
 * scores computed in bulk), as {@link LeafReader#searchNearestVectors} uses them, but with the
 * searcher's scratch state (visited set, candidate queue, bulk-scoring arrays) kept in a pool
 * instead of allocated for every search, and a dense visited set for graphs small enough to clear
 * it cheaply. Same documents and scores as Lucene's path, 1.10-1.18x its speed on 100,000 x 384
 * (docs/BENCHMARKS.md). The graph itself is opened per search: a graph object kept between
 * searches gave the same documents but some scores one bit apart from Lucene's (cause not pinned
 * down), so it was not kept. Where Lucene's path decides more than the walk (deleted
 * documents, for which it weighs its filtered-search strategies; a segment it would score
 * exhaustively: no graph, or fewer vectors than the walk would visit; another vectors format) it
 * returns null, and the caller takes Lucene's path.
 */
final class GraphWalk {
  /** Graphs up to this size get a dense visited set: clearing it costs less than a sparse one's lookups. */
  static final int DENSE_VISITED_UP_TO = 1 << 18;

  private static final int POOLED_PER_SIZE = 2 * Runtime.getRuntime().availableProcessors();
  private static final ConcurrentHashMap<Integer, ArrayBlockingQueue<HnswGraphSearcher>> POOLS = new ConcurrentHashMap<>();

  private GraphWalk() {}

  /**
   * The {@code ef} nearest live documents of {@code reader}'s segment, best first (those found so
   * far when the deadline ends the walk); null where Lucene's path applies.
   */
  static TopDocs search(LeafReader reader, String field, float[] query, int ef, SearchDeadline deadline) throws IOException {
    return search(reader, field, query, ef, deadline, null);
  }

  /**
   * As {@link #search(LeafReader, String, float[], int, SearchDeadline)}, one segment of several:
   * {@code bar} holds the best {@code ef} scores the segments searched before found (null for
   * none), and the walk stops where its candidates can no longer enter them, as Lucene's own query
   * does across segments ({@link MultiLeafKnnCollector}).
   */
  static TopDocs search(LeafReader reader, String field, float[] query, int ef, SearchDeadline deadline,
      BlockingFloatHeap bar) throws IOException {
    Lucene99HnswVectorsReader hnsw = reader.getLiveDocs() == null ? hnswReader(reader, field) : null;
    if (hnsw == null) {
      return null;
    }
    HnswGraph graph = hnsw.getGraph(field);
    if (graph == null || graph.size() == 0) {
      return null; // flushed flat
    }
    int count = graph.size(); // one node per vector
    if (ef >= count || HnswGraphSearcher.expectedVisitedNodes(ef, count) >= count) {
      return null; // Lucene's own rule: a walk would visit about all of them, so it scores them all
    }
    RandomVectorScorer scorer = Int8GraphScorer.of(hnsw, field, reader.getFieldInfos().fieldInfo(field).getVectorSimilarityFunction(), query);
    if (scorer == null) {
      scorer = hnsw.getFlatVectorsReader().getRandomVectorScorer(field, query);
    }
    TopKnnCollector collector = new TopKnnCollector(ef, Integer.MAX_VALUE);
    int sizeClass = sizeClass(graph.maxNodeId() + 1);
    HnswGraphSearcher searcher = borrow(sizeClass);
    try {
      searcher.search(deadline.limit(new OrdinalTranslatedKnnCollector(sharing(collector, ef, bar), scorer::ordToDoc)),
          scorer, graph, null);
    } finally {
      giveBack(sizeClass, searcher);
    }
    return collector.topDocs();
  }

  /** The HNSW reader of {@code field} in {@code reader}'s segment; null for another format or a reader that is not a segment's. */
  static Lucene99HnswVectorsReader hnswReader(LeafReader reader, String field) {
    if (!(FilterLeafReader.unwrap(reader) instanceof SegmentReader segment)) {
      return null;
    }
    KnnVectorsReader vectors = segment.getVectorReader();
    if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      vectors = perField.getFieldReader(field);
    }
    return vectors instanceof Lucene99HnswVectorsReader hnsw ? hnsw : null;
  }

  /** {@code collector}, made to share its scores through {@code bar} when there is one. */
  static KnnCollector sharing(TopKnnCollector collector, int ef, BlockingFloatHeap bar) {
    return bar == null ? collector : new MultiLeafKnnCollector(ef, bar, collector);
  }

  /** The visited set's capacity for a graph of {@code nodes}: the next power of two, so similar graphs share searchers. */
  static int sizeClass(int nodes) {
    if (nodes > 1 << 30) {
      return Integer.MAX_VALUE;
    }
    return Math.max(1 << 10, Integer.highestOneBit(Math.max(1, nodes - 1)) << 1);
  }

  private static HnswGraphSearcher borrow(int sizeClass) {
    HnswGraphSearcher pooled = pool(sizeClass).poll();
    if (pooled != null) {
      return pooled;
    }
    BitSet visited = sizeClass <= DENSE_VISITED_UP_TO ? new FixedBitSet(sizeClass) : new SparseFixedBitSet(sizeClass);
    return new HnswGraphSearcher(new NeighborQueue(100, true), visited);
  }

  private static void giveBack(int sizeClass, HnswGraphSearcher searcher) {
    pool(sizeClass).offer(searcher); // dropped when the pool is full: more searches ran at once than it keeps
  }

  private static ArrayBlockingQueue<HnswGraphSearcher> pool(int sizeClass) {
    return POOLS.computeIfAbsent(sizeClass, c -> new ArrayBlockingQueue<>(POOLED_PER_SIZE));
  }
}
