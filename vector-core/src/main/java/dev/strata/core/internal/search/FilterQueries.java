package dev.strata.core.internal.search;

import dev.strata.core.LuceneFields;
import dev.strata.core.MetadataFilter;
import dev.strata.core.MetadataType;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.records.MetadataTypes;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;

/**
 * Turns a {@link MetadataFilter} into the Lucene query that {@code KnnFloatVectorQuery} uses as its
 * pre-filter. Fields must exist with a matching type: a misspelt field is an error, never an empty
 * result that looks like "nothing relevant".
 */
public final class FilterQueries {
  private FilterQueries() {}

  public static Query toQuery(MetadataFilter filter, MetadataTypes types) {
    return switch (filter) {
      case MetadataFilter.Term term -> termQuery(term, types);
      case MetadataFilter.Range range -> rangeQuery(range, types);
      case MetadataFilter.And and -> combine(and.filters(), BooleanClause.Occur.FILTER, types);
      case MetadataFilter.Exists exists -> {
        String field = LuceneDocuments.metadataField(exists.field());
        // Metadata fields keep no norms or doc values, so FieldExistsQuery cannot see them: an
        // unbounded range over the field's terms or points matches every record that has it.
        yield typeOf(exists.field(), types) == MetadataType.NUMBER
            ? DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
            : TermRangeQuery.newStringRange(field, null, null, true, true);
      }
      case MetadataFilter.All all -> new MatchAllDocsQuery();
      case MetadataFilter.None none -> new MatchNoDocsQuery();
      case MetadataFilter.Or or -> combine(or.filters(), BooleanClause.Occur.SHOULD, types);
      case MetadataFilter.Not not -> new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
          .add(toQuery(not.filter(), types), BooleanClause.Occur.MUST_NOT)
          .build();
      case MetadataFilter.In in -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Object value : in.values()) {
          b.add(termQuery(new MetadataFilter.Term(in.field(), value), types), BooleanClause.Occur.SHOULD);
        }
        yield new ConstantScoreQuery(b.build());
      }
      case MetadataFilter.TextRange range -> {
        requireString(range.field(), types, "range");
        yield TermRangeQuery.newStringRange(
            LuceneDocuments.metadataField(range.field()), range.min(), range.max(),
            range.minInclusive(), range.maxInclusive());
      }
      case MetadataFilter.Source source -> new TermQuery(new Term(LuceneFields.SOURCE, source.label()));
      case MetadataFilter.WrittenIn range -> NumericDocValuesField.newSlowRangeQuery(
          LuceneFields.WRITTEN_IN, range.min(), range.max());
      case MetadataFilter.Contains contains -> {
        requireString(contains.field(), types, "contains");
        // Escaped so that * ? and \ in the substring match themselves.
        String escaped = contains.substring().replaceAll("([*?\\\\])", "\\\\$1");
        yield new WildcardQuery(new Term(LuceneDocuments.metadataField(contains.field()), "*" + escaped + "*"));
      }
    };
  }

  private static Query combine(java.util.List<MetadataFilter> filters, BooleanClause.Occur occur, MetadataTypes types) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (MetadataFilter f : filters) {
      b.add(toQuery(f, types), occur);
    }
    return new ConstantScoreQuery(b.build());
  }

  private static void requireString(String field, MetadataTypes types, String what) {
    if (typeOf(field, types) != MetadataType.STRING) {
      throw new IllegalArgumentException(
          what + " filter on '" + field + "': field is numeric; " + what + " filters need a string field");
    }
  }

  private static Query termQuery(MetadataFilter.Term term, MetadataTypes types) {
    MetadataType type = typeOf(term.field(), types);
    String field = LuceneDocuments.metadataField(term.field());
    if (type == MetadataType.NUMBER) {
      if (!(term.value() instanceof Number n)) {
        throw new IllegalArgumentException(
            "filter on '" + term.field() + "': field is numeric, value '" + term.value()
                + "' is not a number");
      }
      double value = n.doubleValue();
      // Lucene's points order -0.0 below 0.0; a record written before zeros were normalised may hold either.
      return value == 0 ? DoublePoint.newRangeQuery(field, -0.0, 0.0) : DoublePoint.newExactQuery(field, value);
    }
    return new TermQuery(new Term(field, term.value().toString()));
  }

  private static Query rangeQuery(MetadataFilter.Range range, MetadataTypes types) {
    if (typeOf(range.field(), types) != MetadataType.NUMBER) {
      throw new IllegalArgumentException(
          "range filter on '" + range.field() + "': field is a string; ranges need a number field");
    }
    double min = range.min() == null ? Double.NEGATIVE_INFINITY : range.min();
    double max = range.max() == null ? Double.POSITIVE_INFINITY : range.max();
    if (range.min() != null && !range.minInclusive()) {
      min = Math.nextUp(min);
    } else if (min == 0) {
      min = -0.0; // an inclusive 0 takes both zeros (points order -0.0 below 0.0)
    }
    if (range.max() != null && !range.maxInclusive()) {
      max = Math.nextDown(max == 0 ? -0.0 : max);
    } else if (max == 0) {
      max = 0.0;
    }
    return DoublePoint.newRangeQuery(LuceneDocuments.metadataField(range.field()), min, max);
  }

  private static MetadataType typeOf(String field, MetadataTypes types) {
    MetadataType type = types.typeOf(field);
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown metadata field '" + field + "' in filter; this snapshot has "
              + (types.asMap().isEmpty() ? "no metadata fields" : types.asMap().keySet()));
    }
    return type;
  }
}
