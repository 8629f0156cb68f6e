package dev.strata.core.internal.search;

import dev.strata.core.Hit;
import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.codecs.GraphlessSegments;
import dev.strata.core.internal.records.FullText;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.MetadataTypes;
import dev.strata.core.internal.records.ProvenanceValues;
import dev.strata.core.internal.records.RecordDigests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TimeLimitingKnnCollectorManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.BlockingFloatHeap;

/**
 * An {@link IndexSearcher} over exactly one committed snapshot, carrying that snapshot's manifest.
 * Thread-safe, as every IndexSearcher is; shared by reference count through a SearcherManager.
 */
public final class SnapshotSearcher extends IndexSearcher {
  private final SnapshotInfo snapshot;
  private final MetadataTypes metadataTypes;
  private final int graphlessSegments;

  public SnapshotSearcher(DirectoryReader reader) throws IOException {
    super(reader);
    setSimilarity(FullText.similarity()); // only text queries score by similarity; vector scores are their own
    var data = reader.getIndexCommit().getUserData();
    this.snapshot = CommitData.snapshot(data);
    this.metadataTypes = CommitData.metadataTypes(data);
    this.graphlessSegments = GraphlessSegments.of(reader).size(); // once per snapshot, not per stats call
  }

  public SnapshotInfo snapshot() {
    return snapshot;
  }

  public MetadataTypes metadataTypes() {
    return metadataTypes;
  }

  /** Segments of this snapshot that lack the HNSW graph they should have (see {@link GraphlessSegments}). */
  public int graphlessSegments() {
    return graphlessSegments;
  }

  /**
   * HNSW search keeping {@code ef} candidates per segment, best first. The filter, if any,
   * restricts the graph search itself: Lucene only collects matching documents and falls back to an
   * exact scan when the filter matches too few for the graph to pay.
   *
   * <p>With {@code rescore}, the {@code ef} candidates that the quantized graph found are scored
   * again against the stored float32 vectors: oversampling then exact re-ranking, so quantization
   * costs recall only where the right answer was not among the candidates at all, and scores are on
   * the same scale as float32's.
   */
  public ScoreDoc[] knn(float[] query, int ef, Query filter, boolean rescore) throws IOException {
    return knn(query, ef, filter, rescore, SearchDeadline.NONE);
  }

  /**
   * {@link #knn(float[], int, Query, boolean)} that stops at {@code deadline}, inside a segment's
   * graph walk too, and returns the candidates found by then ({@link SearchDeadline#reached()}).
   */
  public ScoreDoc[] knn(float[] query, int ef, Query filter, boolean rescore, SearchDeadline deadline) throws IOException {
    if (filter == null) {
      ScoreDoc[] found = knnPerSegment(query, ef, deadline);
      return rescore ? FullPrecisionRescore.rescore(getIndexReader().leaves(), LuceneDocuments.VECTOR, query, found) : found;
    }
    Query knn = deadline.isNone()
        ? new KnnFloatVectorQuery(LuceneDocuments.VECTOR, query, ef, filter)
        : new DeadlineKnnQuery(query, ef, filter, deadline);
    if (rescore) {
      knn = RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, query, LuceneDocuments.VECTOR, ef);
    }
    return search(knn, ef).scoreDocs;
  }

  /**
   * The unfiltered search straight on each segment's graph (float32, or a quantized graph scored
   * by its own format, the caller rescoring), without building and rewriting
   * a {@link KnnFloatVectorQuery}: that query's fixed cost per search (rewrite, weight, scorer,
   * a second top-docs collection) was most of the gap between Lucene and native HNSW libraries at
   * low effort on this project's machines; where it applies, {@link GraphWalk} also keeps the
   * graph searcher's scratch state between searches. Each segment keeps {@code ef} candidates; the
   * merged list is best first. With several segments, each walk stops where its candidates can no
   * longer enter the best {@code ef} found so far, as Lucene's query does: an HNSW search costs
   * about as much on a small segment as on a large one, and a service's commits leave several.
   */
  private ScoreDoc[] knnPerSegment(float[] query, int ef, SearchDeadline deadline) throws IOException {
    List<LeafReaderContext> leaves = getIndexReader().leaves();
    BlockingFloatHeap bar = leaves.size() > 1 ? new BlockingFloatHeap(ef) : null;
    List<ScoreDoc> merged = new ArrayList<>();
    for (LeafReaderContext leaf : leaves) {
      if (deadline.shouldExit()) {
        break; // the segments searched so far are the answer
      }
      LeafReader reader = leaf.reader();
      TopDocs top = GraphWalk.search(reader, LuceneDocuments.VECTOR, query, ef, deadline, bar);
      if (top == null) {
        AcceptDocs live = AcceptDocs.fromLiveDocs(reader.getLiveDocs(), reader.maxDoc());
        TopKnnCollector collector = new TopKnnCollector(ef, Integer.MAX_VALUE);
        reader.searchNearestVectors(LuceneDocuments.VECTOR, query, deadline.limit(GraphWalk.sharing(collector, ef, bar)), live);
        top = collector.topDocs();
      }
      for (ScoreDoc sd : top.scoreDocs) {
        merged.add(new ScoreDoc(leaf.docBase + sd.doc, sd.score));
      }
    }
    merged.sort(ExactKnn.BEST_FIRST);
    return merged.subList(0, Math.min(ef, merged.size())).toArray(ScoreDoc[]::new);
  }

  /** Lucene's query for the filtered path, its graph walks ended at the deadline. */
  private static final class DeadlineKnnQuery extends KnnFloatVectorQuery {
    private final SearchDeadline deadline;

    DeadlineKnnQuery(float[] query, int ef, Query filter, SearchDeadline deadline) {
      super(LuceneDocuments.VECTOR, query, ef, filter);
      this.deadline = deadline;
    }

    @Override
    protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
      return new TimeLimitingKnnCollectorManager(super.getKnnCollectorManager(k, searcher), deadline);
    }
  }

  /** The true {@code k} nearest neighbours: every live (and filtered) stored vector scored. */
  public ScoreDoc[] exactKnn(float[] query, int k, Query filter, VectorSimilarityFunction similarity)
      throws IOException {
    return ExactKnn.search(this, LuceneDocuments.VECTOR, query, k, filter, similarity);
  }

  /**
   * BM25 over the records' texts ({@link FullText}), best first; empty when the text has no
   * searchable term.
   */
  public ScoreDoc[] bm25(String text, int n, Query filter) throws IOException {
    Query query = FullText.query(text);
    if (query == null) {
      return new ScoreDoc[0];
    }
    if (filter != null) {
      query = new BooleanQuery.Builder()
          .add(query, BooleanClause.Occur.MUST)
          .add(filter, BooleanClause.Occur.FILTER)
          .build();
    }
    return search(query, n).scoreDocs;
  }

  /**
   * The records behind {@code ranked}, best first, at most {@code k}, none under {@code minScore}:
   * with their stored text and metadata, or, with {@code idsOnly}, id and score alone.
   */
  public List<Hit> hits(ScoreDoc[] ranked, int k, Float minScore, boolean idsOnly) throws IOException {
    int n = 0;
    while (n < Math.min(k, ranked.length) && (minScore == null || ranked[n].score >= minScore)) {
      n++; // hits come best first
    }
    if (idsOnly) {
      String[] ids = HitIds.of(getIndexReader(), ranked, n);
      List<Hit> hits = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        hits.add(new Hit(ids[i], ranked[i].score, null, Map.of()));
      }
      return hits;
    }
    return HitIds.withTextAndMetadata(getIndexReader(), ranked, n);
  }

  public Optional<Record> get(String id) throws IOException {
    int doc = docOf(id);
    return doc < 0 ? Optional.empty() : recordAt(getIndexReader(), doc);
  }

  /** The record stored as document {@code doc}, or empty if that document is deleted. */
  public static Optional<Record> recordAt(IndexReader reader, int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    int local = doc - leaf.docBase;
    if (leaf.reader().getLiveDocs() != null && !leaf.reader().getLiveDocs().get(local)) {
      return Optional.empty();
    }
    Document stored = leaf.reader().storedFields().document(local);
    return Optional.of(
        new Record(
            stored.get(LuceneDocuments.ID),
            vectorOf(leaf, local),
            stored.get(LuceneDocuments.TEXT),
            LuceneDocuments.metadataOf(stored),
            new ProvenanceValues(leaf.reader()).source(local)));
  }

  /** Every live record of {@code reader}, segment by segment, in document order. */
  public static void forEachRecord(IndexReader reader, RecordConsumer consumer) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      StoredFields stored = leaf.reader().storedFields();
      FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneDocuments.VECTOR);
      if (values == null) {
        continue;
      }
      ProvenanceValues provenance = new ProvenanceValues(leaf.reader());
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        Document d = stored.document(doc);
        consumer.accept(new Record(
            d.get(LuceneDocuments.ID), values.vectorValue(it.index()).clone(), d.get(LuceneDocuments.TEXT),
            LuceneDocuments.metadataOf(d), provenance.source(doc)));
      }
    }
  }

  /**
   * The stored 64-bit hash ({@link RecordDigests#hash}) of every live record of {@code reader}, by
   * id: enough to tell which records two snapshots differ in without reading a vector or a text.
   */
  public static java.util.Map<String, Long> recordHashes(IndexReader reader) throws IOException {
    java.util.Map<String, Long> hashes = new java.util.HashMap<>(Math.max(16, reader.numDocs() * 4 / 3));
    for (LeafReaderContext leaf : reader.leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      org.apache.lucene.index.BinaryDocValues ids = leaf.reader().getBinaryDocValues(dev.strata.core.LuceneFields.ID_VALUES);
      org.apache.lucene.index.NumericDocValues values = leaf.reader().getNumericDocValues(RecordDigests.HASH_FIELD);
      if (leaf.reader().numDocs() == 0) {
        continue;
      }
      if (ids == null || values == null) {
        throw RecordDigests.segmentWithoutHashes(leaf.reader());
      }
      for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
        if (live == null || live.get(doc)) {
          if (!values.advanceExact(doc)) {
            throw new IllegalStateException("record '" + ids.binaryValue().utf8ToString() + "' has no stored hash");
          }
          hashes.put(ids.binaryValue().utf8ToString(), values.longValue());
        }
      }
    }
    return hashes;
  }

  /**
   * The source label of each of {@code ids} that {@code reader} holds live ({@code ""} for a record
   * without one); ids it does not hold are left out. Each segment's doc values are read forward once.
   */
  public static java.util.Map<String, String> sourcesOf(IndexReader reader, java.util.Collection<String> ids)
      throws IOException {
    java.util.Map<String, String> sources = new java.util.HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      org.apache.lucene.index.Terms terms = leaf.reader().terms(LuceneDocuments.ID);
      if (terms == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      org.apache.lucene.index.TermsEnum te = terms.iterator();
      java.util.TreeMap<Integer, String> idByDoc = new java.util.TreeMap<>();
      org.apache.lucene.index.PostingsEnum postings = null;
      for (String id : ids) {
        if (te.seekExact(new org.apache.lucene.util.BytesRef(id))) {
          postings = te.postings(postings, org.apache.lucene.index.PostingsEnum.NONE);
          for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
            if (live == null || live.get(doc)) {
              idByDoc.put(doc, id);
            }
          }
        }
      }
      ProvenanceValues values = new ProvenanceValues(leaf.reader());
      for (java.util.Map.Entry<Integer, String> e : idByDoc.entrySet()) {
        String source = values.source(e.getKey());
        sources.put(e.getValue(), source == null ? "" : source);
      }
    }
    return sources;
  }

  /** Live records by source label, most first; those without one under {@code ""}. */
  public static java.util.Map<String, Long> recordsPerSource(IndexReader reader) throws IOException {
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      org.apache.lucene.index.SortedDocValues sources = leaf.reader().getSortedDocValues(dev.strata.core.LuceneFields.SOURCE);
      long[] perOrd = new long[sources == null ? 0 : sources.getValueCount()];
      long unlabelled = 0;
      for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        if (sources != null && sources.advanceExact(doc)) {
          perOrd[sources.ordValue()]++;
        } else {
          unlabelled++;
        }
      }
      for (int ord = 0; ord < perOrd.length; ord++) {
        if (perOrd[ord] > 0) {
          counts.merge(sources.lookupOrd(ord).utf8ToString(), perOrd[ord], Long::sum);
        }
      }
      if (unlabelled > 0) {
        counts.merge("", unlabelled, Long::sum);
      }
    }
    java.util.Map<String, Long> sorted = new java.util.LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** Receives records from {@link #forEachRecord}; may throw to stop the scan. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(Record record) throws IOException;
  }

  public boolean contains(String id) throws IOException {
    return docOf(id) >= 0;
  }

  private int docOf(String id) throws IOException {
    TopDocs top = search(new TermQuery(LuceneDocuments.idTerm(id)), 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  /** The stored float32 vector: every encoding keeps the originals beside its quantized copy. */
  private static float[] vectorOf(LeafReaderContext leaf, int local) throws IOException {
    FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneDocuments.VECTOR);
    KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
    if (it == null || it.advance(local) != local) {
      throw new IllegalStateException("document " + (leaf.docBase + local) + " has no vector");
    }
    return values.vectorValue(it.index()).clone();
  }
}
