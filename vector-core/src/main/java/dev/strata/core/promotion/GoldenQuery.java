package dev.strata.core.promotion;

import java.util.List;
import java.util.Objects;

/**
 * One query of a {@link GoldenSet} and the hits a trusted snapshot gave it.
 *
 * @param id the query's name in reports
 * @param text the query text, or {@code null}; kept so a candidate built with another model can
 *     be checked by embedding it again
 * @param vector the query vector, as embedded by the trusted snapshot's model
 * @param expected the trusted snapshot's top hits, best first (empty while only a probe)
 */
public record GoldenQuery(String id, String text, float[] vector, List<Expected> expected) {

  /** A hit the trusted snapshot returned: its record id and score. */
  public record Expected(String id, float score) {
    public Expected {
      Objects.requireNonNull(id, "id");
    }
  }

  public GoldenQuery {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("golden query id must not be blank");
    }
    if (vector == null || vector.length == 0) {
      throw new IllegalArgumentException("golden query '" + id + "' has no vector");
    }
    vector = vector.clone();
    expected = List.copyOf(expected);
  }

  /** A query to capture: no expected hits yet. */
  public static GoldenQuery probe(String id, String text, float[] vector) {
    return new GoldenQuery(id, text, vector, List.of());
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  GoldenQuery withExpected(List<Expected> hits) {
    return new GoldenQuery(id, text, vector, hits);
  }
}
