package dev.strata.springai;

import dev.strata.core.MetadataFilter;
import dev.strata.core.MetadataType;
import dev.strata.core.TypedMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * Spring AI's portable {@link Filter.Expression} as a Strata {@link MetadataFilter}, run inside the
 * index's search. A comparison on a key a record lacks is false and its negation ({@code !=},
 * {@code nin}, {@code NOT}) true; a key no record has matches nothing instead of being Strata's
 * unknown-field error. Booleans and UUIDs compare as the strings they are stored as.
 */
final class FilterExpressions {
  private final Map<String, MetadataType> fields;

  FilterExpressions(Map<String, MetadataType> fields) {
    this.fields = fields;
  }

  MetadataFilter translate(Filter.Operand operand) {
    return switch (operand) {
      case Filter.Group group -> translate(group.content());
      case Filter.Expression e -> expression(e);
      default -> throw new IllegalArgumentException("expected a filter expression, got " + operand);
    };
  }

  private MetadataFilter expression(Filter.Expression e) {
    return switch (e.type()) {
      case AND -> MetadataFilter.and(translate(e.left()), translate(e.right()));
      case OR -> MetadataFilter.or(translate(e.left()), translate(e.right()));
      case NOT -> MetadataFilter.not(translate(e.left()));
      case EQ -> known(e, () -> MetadataFilter.term(key(e), value(e)));
      case NE -> MetadataFilter.not(known(e, () -> MetadataFilter.term(key(e), value(e))));
      case GT -> known(e, () -> MetadataFilter.above(key(e), value(e), false));
      case GTE -> known(e, () -> MetadataFilter.above(key(e), value(e), true));
      case LT -> known(e, () -> MetadataFilter.below(key(e), value(e), false));
      case LTE -> known(e, () -> MetadataFilter.below(key(e), value(e), true));
      case IN -> known(e, () -> MetadataFilter.in(key(e), values(e)));
      case NIN -> MetadataFilter.not(known(e, () -> MetadataFilter.in(key(e), values(e))));
      case ISNOTNULL -> known(e, () -> MetadataFilter.exists(key(e)));
      case ISNULL -> MetadataFilter.not(known(e, () -> MetadataFilter.exists(key(e))));
    };
  }

  private MetadataFilter known(Filter.Expression e, Supplier<MetadataFilter> filter) {
    return fields.containsKey(key(e)) ? filter.get() : MetadataFilter.none();
  }

  private static String key(Filter.Expression e) {
    if (!(e.left() instanceof Filter.Key key)) {
      throw new IllegalArgumentException("expected a metadata key on the left of " + e);
    }
    // The text parser keeps quotes around keys written as 'key' or "key".
    return key.key().replaceAll("^[\"']|[\"']$", "");
  }

  private static Object value(Filter.Expression e) {
    if (!(e.right() instanceof Filter.Value value) || value.value() == null) {
      throw new IllegalArgumentException("expected a value on the right of " + e);
    }
    return TypedMetadata.filterValue(value.value());
  }

  private static List<Object> values(Filter.Expression e) {
    if (!(e.right() instanceof Filter.Value value) || !(value.value() instanceof Collection<?> list)) {
      throw new IllegalArgumentException("expected a list of values on the right of " + e);
    }
    return TypedMetadata.filterValues(list);
  }
}
