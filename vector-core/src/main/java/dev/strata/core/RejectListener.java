package dev.strata.core;


/**
 * Hears of each record that {@link dev.strata.core.index.VectorIndex#ingest} rejects, after the batch's valid records
 * are buffered. Called on the ingesting thread, once per bad record, in batch order.
 */
@FunctionalInterface
public interface RejectListener {
  /**
   * @param position the record's position in the batch, from 0
   * @param record the record as given
   * @param reason what is wrong with it: the rule, the field and the detail
   */
  void rejected(int position, Record record, RecordValidationException reason);
}
