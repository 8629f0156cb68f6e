package dev.strata.core;

/**
 * A record was refused before anything was buffered: the index is exactly as it was. Names the
 * record, the field and the rule, so a batch can report each bad record precisely.
 */
public final class RecordValidationException extends StrataException {
  private final String recordId;
  private final String field;
  private final ValidationRule rule;
  private final String detail;

  /** Record {@code recordId} broke {@code rule} on {@code field}; {@code detail} gives the value. */
  public RecordValidationException(String recordId, String field, ValidationRule rule, String detail) {
    super("record '" + recordId + "': " + field + ": " + detail + " [" + rule + "]");
    this.recordId = recordId;
    this.field = field;
    this.rule = rule;
    this.detail = detail;
  }

  /** The id as given (possibly empty or over-long, if that is the problem). */
  public String recordId() {
    return recordId;
  }

  /** {@code id}, {@code vector}, {@code text} or {@code metadata.<key>}. */
  public String field() {
    return field;
  }

  /** The rule the record broke. */
  public ValidationRule rule() {
    return rule;
  }

  /** What is wrong, without the record and rule: {@code "expected dimension 3, got 2"}. */
  public String detail() {
    return detail;
  }
}
