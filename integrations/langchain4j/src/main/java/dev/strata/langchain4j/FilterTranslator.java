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
import dev.strata.core.TypedMetadata;
import java.util.Map;
import java.util.function.Supplier;

/**
 * LangChain4j's {@link Filter} as a Strata {@link MetadataFilter}, evaluated inside the index's
 * search. Semantics follow LangChain4j's in-memory store: a comparison on a key a record lacks is
 * false, so its negation ({@code isNotEqualTo}, {@code isNotIn}, {@code not}) is true. A key that no
 * record has at all therefore matches nothing (or, negated, everything) instead of being the error
 * Strata's own API makes it. A filter type this class does not know is an error, never ignored.
 */
final class FilterTranslator {
  private final Map<String, MetadataType> fields;

  FilterTranslator(Map<String, MetadataType> fields) {
    this.fields = fields;
  }

  MetadataFilter translate(Filter filter) {
    return switch (filter) {
      case And and -> MetadataFilter.and(translate(and.left()), translate(and.right()));
      case Or or -> MetadataFilter.or(translate(or.left()), translate(or.right()));
      case Not not -> MetadataFilter.not(translate(not.expression()));
      case IsEqualTo f -> known(f.key(), () -> MetadataFilter.term(f.key(), value(f.comparisonValue())));
      case IsNotEqualTo f -> MetadataFilter.not(known(f.key(), () -> MetadataFilter.term(f.key(), value(f.comparisonValue()))));
      case IsGreaterThan f -> known(f.key(), () -> MetadataFilter.above(f.key(), value(f.comparisonValue()), false));
      case IsGreaterThanOrEqualTo f -> known(f.key(), () -> MetadataFilter.above(f.key(), value(f.comparisonValue()), true));
      case IsLessThan f -> known(f.key(), () -> MetadataFilter.below(f.key(), value(f.comparisonValue()), false));
      case IsLessThanOrEqualTo f -> known(f.key(), () -> MetadataFilter.below(f.key(), value(f.comparisonValue()), true));
      case IsIn f -> known(f.key(), () -> MetadataFilter.in(f.key(), TypedMetadata.filterValues(f.comparisonValues())));
      case IsNotIn f -> MetadataFilter.not(known(f.key(), () -> MetadataFilter.in(f.key(), TypedMetadata.filterValues(f.comparisonValues()))));
      case ContainsString f -> known(f.key(), () -> MetadataFilter.contains(f.key(), f.comparisonValue()));
      default -> throw new UnsupportedOperationException(
          "the Strata store cannot translate filter " + filter.getClass().getName() + ": " + filter);
    };
  }

  private MetadataFilter known(String key, Supplier<MetadataFilter> filter) {
    return fields.containsKey(key) ? filter.get() : MetadataFilter.none();
  }

  private static Object value(Object value) {
    return TypedMetadata.filterValue(value);
  }
}
