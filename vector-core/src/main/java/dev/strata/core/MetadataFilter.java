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
}
