package dev.strata.admin;

import dev.strata.core.MetadataFilter;
import dev.strata.core.MetadataType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --filter} expressions: {@code field=value}, {@code field>=n}, {@code field<=n},
 * {@code field>n}, {@code field<n}. A value is a number or a string as the field's type in the
 * index says, so {@code year=2024} works on a numeric field and {@code code=007} on a string one.
 */
final class FilterExpressions {
  private static final Pattern EXPRESSION = Pattern.compile("([A-Za-z_][A-Za-z0-9_.\\-]*)(>=|<=|=|>|<)(.*)");

  private FilterExpressions() {}

  static MetadataFilter parse(List<String> expressions, Map<String, MetadataType> types) {
    if (expressions == null || expressions.isEmpty()) {
      return null;
    }
    MetadataFilter[] filters = new MetadataFilter[expressions.size()];
    for (int i = 0; i < filters.length; i++) {
      filters[i] = parseOne(expressions.get(i), types);
    }
    return filters.length == 1 ? filters[0] : MetadataFilter.and(filters);
  }

  private static MetadataFilter parseOne(String expression, Map<String, MetadataType> types) {
    Matcher m = EXPRESSION.matcher(expression);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad filter '" + expression + "'; expected field=value, field>=n, field<=n, field>n or field<n");
    }
    String field = m.group(1);
    String op = m.group(2);
    String value = m.group(3);
    MetadataType type = types.get(field);
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown metadata field '" + field + "' in filter; the index has "
              + (types.isEmpty() ? "no metadata fields" : types.keySet()));
    }
    if (op.equals("=")) {
      return MetadataFilter.term(field, type == MetadataType.NUMBER ? number(field, value) : value);
    }
    BigDecimal bound = number(field, value);
    return switch (op) {
      case ">=" -> MetadataFilter.above(field, bound, true);
      case ">" -> MetadataFilter.above(field, bound, false);
      case "<=" -> MetadataFilter.below(field, bound, true);
      default -> MetadataFilter.below(field, bound, false);
    };
  }

  /** Kept as the decimal it is, so that the filter can refuse one a double would round (beyond 2^53). */
  private static BigDecimal number(String field, String value) {
    try {
      return new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "filter on '" + field + "': '" + value + "' is not a number", e);
    }
  }
}
