package dev.strata.core.internal.search;

import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.RecordDigests;
import dev.strata.core.internal.records.SegmentKey;
import java.io.IOException;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.FixedBitSet;

/**
 * The live records of one snapshot in id order (UTF-8 byte order), each with its stored hash: the
 * segments' id term dictionaries merged, so two snapshots can be compared side by side without a
 * map of either. Holds 8 bytes per document (each segment's hashes by doc id, read forward once).
 */
final class LiveIdCursor {
  private final PriorityQueue<Segment> segments = new PriorityQueue<>((a, b) -> a.term.compareTo(b.term));
  private final BytesRefBuilder id = new BytesRefBuilder();
  private boolean positioned;
  private long hash;

  /** The live ids of {@code reader}'s segments but those whose {@link SegmentKey} is {@code skipped}. */
  LiveIdCursor(IndexReader reader, Set<String> skipped) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      if (leaf.reader().numDocs() == 0 || skipped.contains(SegmentKey.of(leaf.reader()))) {
        continue;
      }
      Segment segment = new Segment(leaf.reader());
      if (segment.advance()) {
        segments.add(segment);
      }
    }
  }

  /** Moves to the next live id; false when there is none. */
  boolean next() throws IOException {
    Segment top = segments.poll();
    if (top == null) {
      return false;
    }
    if (positioned && id.get().equals(top.term)) {
      throw new IllegalStateException("record '" + top.term.utf8ToString() + "' is live twice in one snapshot: the index is"
          + " damaged ('index-admin verify')");
    }
    id.copyBytes(top.term);
    hash = top.hash;
    positioned = true;
    if (top.advance()) {
      segments.add(top);
    }
    return true;
  }

  /** The current id; valid until the next call to {@link #next()}. */
  BytesRef id() {
    return id.get();
  }

  /** The current record's stored hash. */
  long hash() {
    return hash;
  }

  /** One segment's ids in order, skipping those with no live document here. */
  private static final class Segment {
    private final TermsEnum terms;
    private final Bits live;
    private final long[] hashes;
    private final FixedBitSet hashed;
    private PostingsEnum postings;
    private BytesRef term;
    private long hash;

    Segment(LeafReader reader) throws IOException {
      Terms ids = reader.terms(LuceneDocuments.ID);
      NumericDocValues values = reader.getNumericDocValues(RecordDigests.HASH_FIELD);
      if (ids == null || values == null) {
        throw RecordDigests.segmentWithoutHashes(reader);
      }
      terms = ids.iterator();
      live = reader.getLiveDocs();
      hashes = new long[reader.maxDoc()];
      hashed = new FixedBitSet(reader.maxDoc());
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        hashes[doc] = values.longValue();
        hashed.set(doc);
      }
    }

    /** Moves to the next id with a live document in this segment. */
    boolean advance() throws IOException {
      for (term = terms.next(); term != null; term = terms.next()) {
        postings = terms.postings(postings, PostingsEnum.NONE);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (live == null || live.get(doc)) {
            if (!hashed.get(doc)) {
              throw new IllegalStateException("record '" + term.utf8ToString() + "' has no stored hash");
            }
            hash = hashes[doc];
            return true;
          }
        }
      }
      return false;
    }
  }
}
