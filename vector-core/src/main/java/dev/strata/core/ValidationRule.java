package dev.strata.core;

/** The rule a rejected record broke; stable names for logs, rejects files and metrics. */
public enum ValidationRule {
  ID_EMPTY,
  ID_TOO_LONG,
  /**
   * A control character (C0, DEL, C1), an invisible format character (bidi overrides,
   * zero-width characters, the BOM), a line or paragraph separator, or an unpaired surrogate in an id.
   */
  ID_INVALID_CHARACTER,
  /** An unpaired surrogate in a text or metadata string: stored, it would silently become U+FFFD. */
  INVALID_UNICODE,
  DIMENSION_MISMATCH,
  NON_FINITE_VALUE,
  /**
   * A vector whose squared length overflows or underflows float32, where Lucene scores: its
   * scores would be infinite or undefined and the graph built around it unsearchable.
   */
  VECTOR_OUT_OF_RANGE,
  ZERO_VECTOR,
  NOT_UNIT_LENGTH,
  TEXT_TOO_LONG,
  METADATA_KEY_INVALID,
  METADATA_TOO_MANY_FIELDS,
  METADATA_VALUE_TYPE,
  METADATA_VALUE_TOO_LONG,
  METADATA_TYPE_CONFLICT,
  /** A source label that is blank, too long, or has a character an id may not have. */
  SOURCE_INVALID
}
