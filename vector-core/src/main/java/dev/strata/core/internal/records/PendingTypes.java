package dev.strata.core.internal.records;

import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The metadata field types of an index as of its buffered writes: the committed types plus those
 * the writes since introduced. Validation and registration happen under one lock, so two writers
 * can never give a field two types. Thread-safe.
 */
public final class PendingTypes {
  /** A record the validator refused, and where it stood in its batch. */
  public record Rejected(int position, Record record, RecordValidationException reason) {}

  private volatile MetadataTypes types;

  public PendingTypes(MetadataTypes committed) {
    this.types = committed;
  }

  public MetadataTypes current() {
    return types;
  }

  /** Back to {@code committed} (a rollback, a writer reopened at its last commit). */
  public synchronized void reset(MetadataTypes committed) {
    types = committed;
  }

  /**
   * Validates {@code records} against the types so far, registering the new fields of the valid
   * ones; each refused record goes to {@code refused}, or with {@code refuseBatch} the first one
   * refuses the whole batch (its exception is thrown and nothing is registered).
   *
   * @param counted told of every refusal, for metrics and counters
   */
  public synchronized List<ValidatedRecord> validateAndRegister(Collection<Record> records, RecordValidator validator,
      List<Rejected> refused, boolean refuseBatch, Consumer<RecordValidationException> counted) {
    MetadataTypes next = types;
    List<ValidatedRecord> valid = new ArrayList<>(records.size());
    int position = 0;
    for (Record record : records) {
      try {
        ValidatedRecord v = validator.validate(record, next);
        next = next.with(v.fieldTypes());
        valid.add(v);
      } catch (RecordValidationException e) {
        counted.accept(e);
        if (refuseBatch) {
          throw e;
        }
        refused.add(new Rejected(position, record, e));
      }
      position++;
    }
    types = next; // only once the whole batch passed or its rejects were set aside
    return valid;
  }
}
