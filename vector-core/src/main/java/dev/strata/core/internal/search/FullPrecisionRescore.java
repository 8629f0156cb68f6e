package dev.strata.core.internal.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.VectorScorer;

/**
 * Candidates a quantized graph found, scored again against the stored float32 vectors with the
 * field's own similarity, as Lucene's {@code RescoreTopNQuery} does, but without building a query:
 * each segment's candidates are visited in doc order through one forward iterator.
 */
final class FullPrecisionRescore {
  private static final Comparator<ScoreDoc> BY_DOC = Comparator.comparingInt(sd -> sd.doc);

  private FullPrecisionRescore() {}

  /** {@code candidates} (top-level doc ids) with float32 scores, best first. */
  static ScoreDoc[] rescore(List<LeafReaderContext> leaves, String field, float[] query, ScoreDoc[] candidates)
      throws IOException {
    ScoreDoc[] byDoc = candidates.clone();
    Arrays.sort(byDoc, BY_DOC);
    ScoreDoc[] rescored = new ScoreDoc[byDoc.length];
    int i = 0;
    while (i < byDoc.length) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(byDoc[i].doc, leaves));
      int end = leaf.docBase + leaf.reader().maxDoc();
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      VectorScorer scorer = values == null ? null : values.rescorer(query);
      DocIdSetIterator docs = scorer == null ? null : scorer.iterator();
      for (; i < byDoc.length && byDoc[i].doc < end; i++) {
        int local = byDoc[i].doc - leaf.docBase;
        if (docs == null || docs.advance(local) != local) {
          throw new IllegalStateException("document " + byDoc[i].doc + " has no float32 vector to rescore");
        }
        rescored[i] = new ScoreDoc(byDoc[i].doc, scorer.score());
      }
    }
    Arrays.sort(rescored, ExactKnn.BEST_FIRST);
    return rescored;
  }
}
