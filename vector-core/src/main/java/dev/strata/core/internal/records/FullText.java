package dev.strata.core.internal.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * BM25 over record texts: the indexed field, its analysis and the bag-of-words query. The setup is
 * Anserini's for BEIR (English analysis with Porter stemming and stop words, k1 0.9, b 0.4, one
 * field, a query term repeated n times weighs n), so scores are comparable with its published runs.
 */
public final class FullText {
  /** Indexed, not stored: the stored copy is {@link LuceneDocuments#TEXT}. */
  public static final String FIELD = "_fulltext";

  public static final float K1 = 0.9f;
  public static final float B = 0.4f;

  /** Frequencies without positions: BM25 needs no more, and positions would double the field's size. */
  private static final FieldType TYPE = new FieldType();

  static {
    TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    TYPE.setTokenized(true);
    TYPE.setOmitNorms(false); // BM25's length normalisation reads the norms
    TYPE.freeze();
  }

  private static final Analyzer ANALYZER = new EnglishAnalyzer();

  private FullText() {}

  /** The analyzer every index writer uses; only this field is tokenized. */
  public static Analyzer analyzer() {
    return ANALYZER;
  }

  public static BM25Similarity similarity() {
    return new BM25Similarity(K1, B);
  }

  static Field field(String text) {
    return new Field(FIELD, text, TYPE);
  }

  /**
   * The query for {@code text}: one optional clause per distinct analysed term, boosted by how
   * often the term occurs. Returns {@code null} when analysis leaves no term (only stop words).
   *
   * @throws IllegalArgumentException if the text has more distinct terms than a Lucene query may
   */
  public static Query query(String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream tokens = ANALYZER.tokenStream(FIELD, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing query text", e); // a StringReader does not fail
    }
    if (counts.isEmpty()) {
      return null;
    }
    if (counts.size() > IndexSearcher.getMaxClauseCount()) {
      throw new IllegalArgumentException(
          "query text has " + counts.size() + " distinct terms; at most "
              + IndexSearcher.getMaxClauseCount() + " are allowed");
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    counts.forEach((term, count) -> {
      Query clause = new TermQuery(new Term(FIELD, term));
      query.add(count == 1 ? clause : new BoostQuery(clause, count), BooleanClause.Occur.SHOULD);
    });
    return query.build();
  }
}
