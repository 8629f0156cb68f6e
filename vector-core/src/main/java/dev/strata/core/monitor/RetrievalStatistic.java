package dev.strata.core.monitor;

import java.util.Locale;

/**
 * What the drift monitor watches on each observed search. Each is cheap (read from the hits the
 * search returned) and moves when queries stop resembling what the index was built for: a broken
 * or swapped embedding model gives vectors whose nearest neighbours are far and undifferentiated.
 */
public enum RetrievalStatistic {
  /** Score of the best hit (0 when there are no hits). */
  TOP1_SCORE,
  /** Mean score of the hits returned. */
  MEAN_TOPK_SCORE,
  /** Best hit's score minus the last hit's: how much the top stands out. */
  TOP1_TOPK_GAP,
  /** Euclidean norm of the query vector as the caller gave it, before the index normalises it. */
  QUERY_NORM,
  /** Hits scoring at least {@link MonitorOptions#minScore()}. */
  HITS_ABOVE_MIN;

  static final RetrievalStatistic[] ALL = values();

  /** The name used in metric tags, logs and JSON: lower case with underscores. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
