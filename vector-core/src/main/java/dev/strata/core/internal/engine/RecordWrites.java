package dev.strata.core.internal.engine;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexSchema;
import dev.strata.core.IngestReport;
import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.RejectListener;
import dev.strata.core.VectorSource;
import dev.strata.core.internal.codecs.FlatFlushes;
import dev.strata.core.internal.records.DriftGuard;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.PendingTypes;
import dev.strata.core.internal.records.RecordValidator;
import dev.strata.core.internal.records.ValidatedRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Query;

/**
 * The write path of one index: records validated (drift guard, schema, metadata types), turned
 * into Lucene documents and buffered in the writer, and deletions, each under the commit lock's
 * read side so that no commit holds half of a batch. Callers have checked the writer is open.
 */
final class RecordWrites {
  private final Path path;
  private final IndexSchema schema;
  private final WriterSlot slot;
  private final RecordValidator validator;
  private final RecordValidator copyValidator; // for vectors that an index already normalised
  private final VectorSimilarityFunction luceneSimilarity;
  private final DriftGuard driftGuard;
  private final IndexMetrics metrics;
  private final FlatFlushes flatFlushes;
  private final IndexMerges merges;

  RecordWrites(Path path, IndexSchema schema, int maxTextBytes, WriterSlot slot, DriftGuard driftGuard,
      IndexMetrics metrics, FlatFlushes flatFlushes, IndexMerges merges) {
    this.path = path;
    this.schema = schema;
    this.slot = slot;
    this.validator = new RecordValidator(schema, maxTextBytes);
    this.copyValidator = new RecordValidator(schema.toBuilder().normalize(false).build(), Integer.MAX_VALUE);
    this.luceneSimilarity = LuceneDocuments.luceneSimilarity(schema.similarity());
    this.driftGuard = driftGuard;
    this.metrics = metrics;
    this.flatFlushes = flatFlushes;
    this.merges = merges;
  }

  /**
   * Validates every record, buffers the valid ones and tells {@code rejects} of each invalid one;
   * with {@code rejects} null, one invalid record refuses the whole batch (nothing is buffered and
   * the {@link RecordValidationException} names it).
   *
   * @param copies records read from an index of the same model: vectors kept bit for bit
   */
  IngestReport ingest(Collection<Record> records, VectorSource source, RejectListener rejects, boolean copies) {
    if (!copies) {
      try {
        driftGuard.check(source, "upsert");
      } catch (EmbeddingDriftException e) {
        metrics.rejected("model_drift");
        slot.counters.rejected();
        throw e;
      }
    }
    List<PendingTypes.Rejected> refused = new ArrayList<>();
    int accepted;
    slot.commitLock.readLock().lock();
    try {
      IndexWriter writer = slot.current(); // opened by the caller; reopening needs the lock this holds
      List<ValidatedRecord> valid = slot.pendingTypes.validateAndRegister(
          records, copies ? copyValidator : validator, refused, rejects == null, e -> {
            metrics.rejected(e.rule().name());
            slot.counters.rejected();
          });
      // Counted before they are written, so a batch that makes a load a bulk load goes in flat itself.
      if (flatFlushes.written(valid.size())) {
        merges.bulkLoadStarted(writer);
      }
      long writtenIn = slot.head().id() + 1; // the commit that will hold them: it waits for this lock
      for (ValidatedRecord record : valid) {
        writer.updateDocument(
            LuceneDocuments.idTerm(record.id()),
            LuceneDocuments.toDocument(record, luceneSimilarity, schema.fullText(), writtenIn));
      }
      accepted = valid.size();
      if (accepted > 0) {
        slot.buffered.added();
      }
      metrics.ingested(accepted);
      slot.counters.upserted(accepted);
    } catch (IOException e) {
      throw slot.writeFailed("cannot write to index " + path, e);
    } finally {
      slot.commitLock.readLock().unlock();
    }
    for (PendingTypes.Rejected r : refused) { // outside the locks: a slow listener holds up no other writer
      rejects.rejected(r.position(), r.record(), r.reason());
    }
    return new IngestReport(accepted, refused.size());
  }

  /** Buffers the deletion of every id. */
  void deleteIds(Collection<String> ids) {
    Term[] terms = new Term[ids.size()];
    int i = 0;
    for (String id : ids) {
      RecordValidator.checkId(id);
      terms[i++] = LuceneDocuments.idTerm(id);
    }
    delete(w -> w.deleteDocuments(terms));
    slot.counters.deleteRequested(terms.length);
  }

  /** Buffers the deletion of every record {@code query} matches, buffered writes included. */
  void deleteMatching(Query query) {
    delete(w -> w.deleteDocuments(query));
    slot.counters.deleteRequested(1);
  }

  private interface WriterCall {
    void apply(IndexWriter writer) throws IOException;
  }

  /** A deletion under the commit lock's read side, so no commit splits it. */
  private void delete(WriterCall deletion) {
    slot.commitLock.readLock().lock();
    try {
      deletion.apply(slot.current());
      slot.buffered.added();
    } catch (IOException e) {
      throw slot.writeFailed("cannot delete from index " + path, e);
    } finally {
      slot.commitLock.readLock().unlock();
    }
  }
}
