package dev.strata.core.internal.records;

import dev.strata.core.LuceneFields;
import java.io.IOException;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;

/**
 * One segment's provenance doc values ({@link LuceneFields#SOURCE}, {@link LuceneFields#WRITTEN_IN}),
 * read forward only: documents must be asked for in increasing order, as every scan and every
 * doc-ordered hit reader here does. A segment written before provenance existed has neither.
 */
public final class ProvenanceValues {
  private final SortedDocValues sources;
  private final NumericDocValues writtenIn;

  public ProvenanceValues(LeafReader reader) throws IOException {
    this.sources = reader.getSortedDocValues(LuceneFields.SOURCE);
    this.writtenIn = reader.getNumericDocValues(LuceneFields.WRITTEN_IN);
  }

  /** The source label of {@code doc}, or null when it has none. */
  public String source(int doc) throws IOException {
    return sources != null && sources.advanceExact(doc) ? sources.lookupOrd(sources.ordValue()).utf8ToString() : null;
  }

  /** The snapshot that last wrote {@code doc}; 0 for a document written before provenance was kept. */
  public long writtenIn(int doc) throws IOException {
    return writtenIn != null && writtenIn.advanceExact(doc) ? writtenIn.longValue() : 0;
  }
}
