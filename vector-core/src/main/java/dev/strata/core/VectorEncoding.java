package dev.strata.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the HNSW graph stores vectors for scoring. The original float32 vectors are always kept as
 * well, so {@link dev.strata.core.index.VectorIndex#get} returns what was written whatever the encoding.
 */
public enum VectorEncoding {
  /** Full-precision floats: best recall, 4 bytes a dimension. */
  FLOAT32,
  /** Lucene's scalar-quantized HNSW, one byte a dimension for scoring. */
  INT8,
  /** Lucene's scalar-quantized HNSW, half a byte a dimension for scoring. */
  INT4,
  /** Lucene's one-bit quantized HNSW (queries at four bits): smallest, lowest recall. */
  BINARY;

  /** The lower-case name used in the CLI, JSON and the index's commit data. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code float32}, {@code int8}, {@code int4} or {@code binary}. */
  public static VectorEncoding parse(String name) {
    for (VectorEncoding e : values()) {
      if (e.externalName().equalsIgnoreCase(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown vector encoding '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(VectorEncoding::externalName)
                .collect(Collectors.joining(", ")));
  }
}
