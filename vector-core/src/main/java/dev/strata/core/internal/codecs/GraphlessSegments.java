package dev.strata.core.internal.codecs;

import dev.strata.core.internal.records.LuceneDocuments;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;

/**
 * Segments whose vectors are searched exhaustively because they have no HNSW graph although
 * Lucene would have given them one: those flushed with deferred graphs and not merged since.
 * Segments too small for a graph by Lucene's own rule are not counted: rewriting them would not
 * give them one.
 */
public final class GraphlessSegments {
  private GraphlessSegments() {}

  /** The names of {@code reader}'s segments that lack the graph they should have. */
  public static Set<String> of(DirectoryReader reader) throws IOException {
    Set<String> names = new HashSet<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      if (FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader segment && lacksGraph(segment)) {
        names.add(segment.getSegmentName());
      }
    }
    return names;
  }

  private static boolean lacksGraph(LeafReader segment) throws IOException {
    FloatVectorValues values = segment.getFloatVectorValues(LuceneDocuments.VECTOR);
    if (values == null || !deservesGraph(values.size())) {
      return false;
    }
    KnnVectorsReader vectors = ((SegmentReader) segment).getVectorReader();
    if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      vectors = perField.getFieldReader(LuceneDocuments.VECTOR);
    }
    return vectors instanceof HnswGraphProvider graphs && graphs.getGraph(LuceneDocuments.VECTOR).size() == 0;
  }

  /** Lucene's rule for writing a graph: more vectors than a small search would visit anyway. */
  private static boolean deservesGraph(int vectors) {
    int visited = HnswGraphSearcher.expectedVisitedNodes(Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD, vectors);
    return visited > 0 && vectors > visited;
  }
}
