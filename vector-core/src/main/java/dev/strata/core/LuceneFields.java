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

  private LuceneFields() {}
}
