package dev.strata.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.strata.core.MetadataFilter;
import dev.strata.core.MetadataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * LangChain4j's {@link Filter} as a Strata {@link MetadataFilter}, evaluated inside the index's
 * search. Semantics follow LangChain4j's in-memory store: a comparison on a key a record lacks is
 * false, so its negation ({@code isNotEqualTo}, {@code isNotIn}, {@code not}) is true. A key that no
 * record has at all therefore matches nothing (or, negated, everything) instead of being the error
 * Strata's own API makes it. A filter type this class does not know is an error, never ignored.
 */
final class FilterTranslator {
  /** A translated filter: every record, no record, or those a Strata filter matches. */
  record Translation(MetadataFilter filter, boolean all) {
    static final Translation ALL = new Translation(null, true);
    static final Translation NONE = new Translation(null, false);

    static Translation of(MetadataFilter filter) {
      return new Translation(filter, false);
    }

    boolean none() {
      return filter == null && !all;
    }
  }

  private final Map<String, MetadataType> fields;

  FilterTranslator(Map<String, MetadataType> fields) {
    this.fields = fields;
  }

  Translation translate(Filter filter) {
    return switch (filter) {
      case And and -> and(translate(and.left()), translate(and.right()));
      case Or or -> or(translate(or.left()), translate(or.right()));
      case Not not -> not(translate(not.expression()));
      case IsEqualTo f -> known(f.key(), () -> MetadataFilter.term(f.key(), value(f.comparisonValue())));
      case IsNotEqualTo f -> not(known(f.key(), () -> MetadataFilter.term(f.key(), value(f.comparisonValue()))));
      case IsGreaterThan f -> known(f.key(), () -> range(f.key(), f.comparisonValue(), false, null, false));
      case IsGreaterThanOrEqualTo f -> known(f.key(), () -> range(f.key(), f.comparisonValue(), true, null, false));
      case IsLessThan f -> known(f.key(), () -> range(f.key(), null, false, f.comparisonValue(), false));
      case IsLessThanOrEqualTo f -> known(f.key(), () -> range(f.key(), null, false, f.comparisonValue(), true));
      case IsIn f -> known(f.key(), () -> MetadataFilter.in(f.key(), values(f.comparisonValues())));
      case IsNotIn f -> not(known(f.key(), () -> MetadataFilter.in(f.key(), values(f.comparisonValues()))));
      case ContainsString f -> known(f.key(), () -> MetadataFilter.contains(f.key(), f.comparisonValue()));
      default -> throw new UnsupportedOperationException(
          "the Strata store cannot translate filter " + filter.getClass().getName() + ": " + filter);
    };
  }

  private Translation known(String key, java.util.function.Supplier<MetadataFilter> filter) {
    return fields.containsKey(key) ? Translation.of(filter.get()) : Translation.NONE;
  }

  private static Translation and(Translation a, Translation b) {
    if (a.none() || b.none()) {
      return Translation.NONE;
    }
    if (a.all()) {
      return b;
    }
    return b.all() ? a : Translation.of(MetadataFilter.and(a.filter(), b.filter()));
  }

  private static Translation or(Translation a, Translation b) {
    if (a.all() || b.all()) {
      return Translation.ALL;
    }
    if (a.none()) {
      return b;
    }
    return b.none() ? a : Translation.of(MetadataFilter.or(a.filter(), b.filter()));
  }

  private static Translation not(Translation t) {
    if (t.all()) {
      return Translation.NONE;
    }
    return t.none() ? Translation.ALL : Translation.of(MetadataFilter.not(t.filter()));
  }

  private static MetadataFilter range(String key, Object min, boolean minInclusive, Object max, boolean maxInclusive) {
    Object bound = min != null ? min : max;
    if (bound instanceof Number) {
      return new MetadataFilter.Range(key, min == null ? null : ((Number) min).doubleValue(),
          max == null ? null : ((Number) max).doubleValue(), minInclusive, maxInclusive);
    }
    return MetadataFilter.textRange(key, min == null ? null : value(min).toString(), minInclusive,
        max == null ? null : value(max).toString(), maxInclusive);
  }

  /** UUIDs are stored as their strings; numbers as doubles, which the filter compares. */
  private static Object value(Object value) {
    return value instanceof UUID u ? u.toString() : value;
  }

  private static List<Object> values(java.util.Collection<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(value(v));
    }
    return out;
  }
}
