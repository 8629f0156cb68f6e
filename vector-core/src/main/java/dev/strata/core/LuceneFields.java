package dev.strata.core;

/**
 * The Lucene field names Strata writes, part of its on-disk format: for tools that read an index
 * with Lucene directly (a benchmark beside raw Lucene, a forensic look at a damaged copy).
 */
public final class LuceneFields {
  /** The record id: indexed as a term, stored. */
  public static final String ID = "_id";
  /** The record id again as binary doc values, read by ids-only searches. */
  public static final String ID_VALUES = "_id_values";
  /**
   * The text and metadata again, as binary doc values, read by searches for their hits: only where
   * they fit in 4 KiB (otherwise a marker byte); the stored fields keep every record whole.
   */
  public static final String HIT_VALUES = "_hit_values";
  /** The vector: Lucene's KNN float vector field, with the index's similarity. */
  public static final String VECTOR = "_vector";
  /** The text: stored, and analysed for BM25 where the schema has full-text search. */
  public static final String TEXT = "_text";
  /** The record's source label, where it has one: indexed as a term and as sorted doc values. */
  public static final String SOURCE = "_source";
  /** The id of the snapshot that last wrote the record: numeric doc values (absent before 0.3.0). */
  public static final String WRITTEN_IN = "_written_in";

  private LuceneFields() {}
}
