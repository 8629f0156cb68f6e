package dev.strata.core;

import java.util.List;
import java.util.Objects;

/**
 * A condition on metadata that restricts a search. It is applied inside the HNSW graph search
 * (only matching documents are collected), not to the results afterwards, so a selective filter
 * still returns k hits when k match.
 */
public sealed interface MetadataFilter {

  /** Records whose string field equals {@code value}, or whose numeric field equals it. */
  static MetadataFilter term(String field, Object value) {
    return new Term(field, value);
  }

  /** Records whose numeric field lies in [min, max]; a {@code null} bound is open. */
  static MetadataFilter range(String field, Double min, Double max) {
    return new Range(field, min, max, true, true);
  }

  /** Records that match every one of {@code filters}. */
  static MetadataFilter and(MetadataFilter... filters) {
    return new And(List.of(filters));
  }

  /** Records that match at least one of {@code filters}. */
  static MetadataFilter or(MetadataFilter... filters) {
    return new Or(List.of(filters));
  }

  /** Records that do not match {@code filter}, including those without its field. */
  static MetadataFilter not(MetadataFilter filter) {
    return new Not(filter);
  }

  /** Records whose field equals one of {@code values} (all strings or all numbers). */
  static MetadataFilter in(String field, List<?> values) {
    return new In(field, List.copyOf(values));
  }

  /**
   * Records whose string field lies between {@code min} and {@code max} in the order of their
   * UTF-8 bytes (Java's order, except for characters outside the Basic Multilingual Plane); a
   * {@code null} bound is open.
   */
  static MetadataFilter textRange(String field, String min, boolean minInclusive, String max, boolean maxInclusive) {
    return new TextRange(field, min, max, minInclusive, maxInclusive);
  }

  /**
   * Records whose field is above {@code bound} (or equal, if {@code inclusive}): a numeric range
   * for a number, a string range for a string.
   */
  static MetadataFilter above(String field, Object bound, boolean inclusive) {
    return switch (bound) {
      case Number n -> new Range(field, exact(field, n), null, inclusive, false);
      case String s -> new TextRange(field, s, null, inclusive, false);
      default -> throw new IllegalArgumentException(comparisonError(field, bound));
    };
  }

  /** Records whose field is below {@code bound} (or equal, if {@code inclusive}). */
  static MetadataFilter below(String field, Object bound, boolean inclusive) {
    return switch (bound) {
      case Number n -> new Range(field, null, exact(field, n), false, inclusive);
      case String s -> new TextRange(field, null, s, false, inclusive);
      default -> throw new IllegalArgumentException(comparisonError(field, bound));
    };
  }

  private static double exact(String field, Number bound) {
    requireNumberOrString(field, bound);
    return bound.doubleValue();
  }

  private static String comparisonError(String field, Object bound) {
    return "comparison on '" + field + "': bound must be a string or number, got "
        + (bound == null ? "null" : bound.getClass().getSimpleName());
  }

  /** Records that have {@code field}, whatever its value. */
  static MetadataFilter exists(String field) {
    return new Exists(field);
  }

  /** Every record: the neutral element of {@link #and}, for filters built up by translation. */
  static MetadataFilter all() {
    return All.INSTANCE;
  }

  /** No record: what a condition on a field no record has matches, in adapters that allow it. */
  static MetadataFilter none() {
    return None.INSTANCE;
  }

  /** Records whose string field contains {@code substring} (case-sensitive). */
  static MetadataFilter contains(String field, String substring) {
    return new Contains(field, substring);
  }

  /** Records written with source label {@code label} ({@link Record#source}). */
  static MetadataFilter source(String label) {
    return new Source(label);
  }

  /**
   * Records last written by a snapshot with an id from {@code min} to {@code max}, both inclusive
   * ({@link Provenance#writtenIn}); {@code writtenIn(n, Long.MAX_VALUE)} is "written in n or later".
   */
  static MetadataFilter writtenIn(long min, long max) {
    return new WrittenIn(min, max);
  }

  /** Exact match on a string or numeric field. */
  record Term(String field, Object value) implements MetadataFilter {
    public Term {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
      if (!(value instanceof String) && !(value instanceof Number)) {
        throw new IllegalArgumentException(
            "filter on '" + field + "': value must be a string or number, got "
                + value.getClass().getSimpleName());
      }
      requireNumberOrString(field, value);
    }
  }

  /**
   * NaN equals nothing and, as a range bound, would sort above every number: refused, not matched
   * silently.
   */
  private static void requireNumberOrString(String field, Object value) {
    if (value instanceof Number n && Double.isNaN(n.doubleValue())) {
      throw new IllegalArgumentException("filter on '" + field + "': NaN is not a value a record can have");
    }
    String inexact = value instanceof Number n ? dev.strata.core.kernels.ExactDoubles.whyNot(n) : null;
    if (inexact != null) { // it would match the records holding its neighbour
      throw new IllegalArgumentException("filter on '" + field + "': " + inexact);
    }
  }

  /** A numeric range; each bound is open when {@code null}, and inclusive or not as flagged. */
  record Range(String field, Double min, Double max, boolean minInclusive, boolean maxInclusive)
      implements MetadataFilter {
    public Range {
      Objects.requireNonNull(field, "field");
      if (min == null && max == null) {
        throw new IllegalArgumentException("range filter on '" + field + "' has no bound");
      }
      requireNumberOrString(field, min);
      requireNumberOrString(field, max);
      if (min != null && max != null && min > max) {
        throw new IllegalArgumentException(
            "range filter on '" + field + "': min " + min + " > max " + max);
      }
    }
  }

  /** All of the given filters. */
  record And(List<MetadataFilter> filters) implements MetadataFilter {
    public And {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("and() needs at least one filter");
      }
    }
  }

  /** Any of the given filters. */
  record Or(List<MetadataFilter> filters) implements MetadataFilter {
    public Or {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("or() needs at least one filter");
      }
    }
  }

  /** The complement of a filter: records without the field match too. */
  record Not(MetadataFilter filter) implements MetadataFilter {
    public Not {
      Objects.requireNonNull(filter, "filter");
    }
  }

  /** Equality with any of several values of one type. */
  record In(String field, List<?> values) implements MetadataFilter {
    public In {
      Objects.requireNonNull(field, "field");
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("in filter on '" + field + "' has no values");
      }
      boolean strings = values.getFirst() instanceof String;
      for (Object v : values) {
        if (strings ? !(v instanceof String) : !(v instanceof Number)) {
          throw new IllegalArgumentException(
              "in filter on '" + field + "': values must be all strings or all numbers, got " + values);
        }
        requireNumberOrString(field, v);
      }
    }
  }

  /** A range of strings; each bound is open when {@code null}. */
  record TextRange(String field, String min, String max, boolean minInclusive, boolean maxInclusive)
      implements MetadataFilter {
    public TextRange {
      Objects.requireNonNull(field, "field");
      if (min == null && max == null) {
        throw new IllegalArgumentException("range filter on '" + field + "' has no bound");
      }
      requireNumberOrString(field, min);
      requireNumberOrString(field, max);
    }
  }

  /** The field is present. */
  record Exists(String field) implements MetadataFilter {
    public Exists {
      Objects.requireNonNull(field, "field");
    }
  }

  /** Matches every record. */
  enum All implements MetadataFilter {
    INSTANCE
  }

  /** Matches no record. */
  enum None implements MetadataFilter {
    INSTANCE
  }

  /** The record's source label is {@code label}. */
  record Source(String label) implements MetadataFilter {
    public Source {
      Objects.requireNonNull(label, "label");
    }
  }

  /** The snapshot that last wrote the record is in {@code [min, max]}. */
  record WrittenIn(long min, long max) implements MetadataFilter {
    public WrittenIn {
      if (min > max) {
        throw new IllegalArgumentException("writtenIn filter: min " + min + " is above max " + max);
      }
    }
  }

  /** A substring of a string field. */
  record Contains(String field, String substring) implements MetadataFilter {
    public Contains {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(substring, "substring");
    }
  }
}
