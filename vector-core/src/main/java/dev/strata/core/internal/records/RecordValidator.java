package dev.strata.core.internal.records;

import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataType;
import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.Similarity;
import dev.strata.core.ValidationRule;
import dev.strata.core.kernels.ExactDoubles;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The door every record passes before the index buffers it. Stateless apart from the schema and
 * limits, so it is safe to share between threads.
 */
public final class RecordValidator {
  public static final int MAX_ID_BYTES = 512;
  /** Longest source label: a file name with its digest fits; a label is stored once per record. */
  public static final int MAX_SOURCE_BYTES = 256;
  public static final int MAX_METADATA_FIELDS = 64;
  /** Keyword values are indexed as one Lucene term; keep them well under its 32 KiB limit. */
  public static final int MAX_METADATA_VALUE_BYTES = 4096;
  /** Names usable in CLI filters and commit data without escaping. */
  public static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,127}");
  /** How far from 1 a dot_product vector's length may be: float32 JSON round trips stay well in. */
  public static final double UNIT_LENGTH_TOLERANCE = 1e-3;
  /** The largest squared length whose scores (dot products, squared distances) stay finite in float32. */
  static final double MAX_SQUARED_LENGTH = Float.MAX_VALUE / 4.0;
  /** Largest integer a double holds exactly; bigger integral numbers would be silently rounded. */

  private final IndexSchema schema;
  private final int maxTextBytes;

  public RecordValidator(IndexSchema schema, int maxTextBytes) {
    this.schema = schema;
    this.maxTextBytes = maxTextBytes;
  }

  /** Checks {@code record} against every rule; {@code known} gives the types fields already have. */
  public ValidatedRecord validate(Record record, MetadataTypes known) {
    String id = record.id();
    checkId(id);
    float[] vector = checkVector(id, "vector", record.vector());
    String text = record.text();
    if (text != null) {
      checkUnicode(id, "text", text);
      int bytes = utf8Length(text);
      if (bytes > maxTextBytes) {
        throw new RecordValidationException(
            id, "text", ValidationRule.TEXT_TOO_LONG,
            "text is " + bytes + " UTF-8 bytes, limit is " + maxTextBytes);
      }
    }
    if (record.metadata().size() > MAX_METADATA_FIELDS) {
      throw new RecordValidationException(
          id, "metadata", ValidationRule.METADATA_TOO_MANY_FIELDS,
          record.metadata().size() + " fields, limit is " + MAX_METADATA_FIELDS);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    Map<String, MetadataType> types = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : record.metadata().entrySet()) {
      Object value = checkMetadataValue(id, e.getKey(), e.getValue());
      MetadataType type = MetadataType.of(value);
      MetadataType existing = known.typeOf(e.getKey());
      if (existing != null && existing != type) {
        throw new RecordValidationException(
            id, "metadata." + e.getKey(), ValidationRule.METADATA_TYPE_CONFLICT,
            "field is " + existing.externalName() + " in this index, record gives "
                + type.externalName());
      }
      metadata.put(e.getKey(), value);
      types.put(e.getKey(), type);
    }
    return new ValidatedRecord(id, vector, text, metadata, types, checkSource(id, record.source()));
  }

  /**
   * Checks a vector (a record's or a query's) and returns the copy the index will use: normalised
   * for dot_product when the schema asks for it.
   */
  public float[] checkVector(String id, String field, float[] vector) {
    if (vector.length != schema.dimension()) {
      throw new RecordValidationException(
          id, field, ValidationRule.DIMENSION_MISMATCH,
          "expected dimension " + schema.dimension() + ", got " + vector.length);
    }
    double sumSquares = 0;
    for (int i = 0; i < vector.length; i++) {
      float v = vector[i];
      if (!Float.isFinite(v)) {
        throw new RecordValidationException(
            id, field, ValidationRule.NON_FINITE_VALUE, "component " + i + " is " + v);
      }
      sumSquares += (double) v * v;
    }
    Similarity similarity = schema.similarity();
    if ((similarity == Similarity.COSINE || similarity == Similarity.DOT_PRODUCT)
        && sumSquares == 0) {
      throw new RecordValidationException(
          id, field, ValidationRule.ZERO_VECTOR,
          "all components are zero; " + similarity.externalName() + " needs a direction");
    }
    if (!(similarity == Similarity.DOT_PRODUCT && schema.normalize())) { // a normalised copy is always in range
      checkRange(id, field, sumSquares);
    }
    if (similarity == Similarity.DOT_PRODUCT) {
      double norm = Math.sqrt(sumSquares);
      if (schema.normalize()) {
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
          unit[i] = (float) (vector[i] / norm);
        }
        return unit;
      }
      if (Math.abs(norm - 1) > UNIT_LENGTH_TOLERANCE) {
        throw new RecordValidationException(
            id, field, ValidationRule.NOT_UNIT_LENGTH,
            "dot_product needs unit vectors, length is " + norm
                + " (normalise it, or create the index with normalize=true)");
      }
    }
    return vector;
  }

  /**
   * Lucene scores in float32: a squared length beyond a quarter of Float.MAX_VALUE overflows a
   * dot product or a squared distance between two such vectors, and a non-zero one below the
   * smallest normal float vanishes, so cosine divides by zero. Either way every score is Infinity
   * or NaN. Refused at the door rather than stored.
   */
  private static void checkRange(String id, String field, double sumSquares) {
    if (sumSquares > MAX_SQUARED_LENGTH) {
      throw new RecordValidationException(id, field, ValidationRule.VECTOR_OUT_OF_RANGE, String.format(Locale.ROOT,
          "squared length %.3g overflows float32 scoring (limit %.3g); scale the vector down", sumSquares,
          MAX_SQUARED_LENGTH));
    }
    if (sumSquares != 0 && sumSquares < Float.MIN_NORMAL) {
      throw new RecordValidationException(id, field, ValidationRule.VECTOR_OUT_OF_RANGE, String.format(Locale.ROOT,
          "squared length %.3g underflows float32 scoring (below %.3g); scale the vector up", sumSquares,
          (double) Float.MIN_NORMAL));
    }
  }

  /** A source label: the id's rules (not blank, no invisible or control character), {@link #MAX_SOURCE_BYTES} at most. */
  public static String checkSource(String id, String source) {
    if (source == null) {
      return null;
    }
    String problem = source.codePoints().allMatch(RecordValidator::printsBlank) ? "source label is blank"
        : utf8Length(source) > MAX_SOURCE_BYTES ? "source label is " + utf8Length(source) + " UTF-8 bytes, limit is "
            + MAX_SOURCE_BYTES
        : firstInvalidIdChar(source) >= 0 ? String.format(java.util.Locale.ROOT, "source label has U+%04X at index %d"
            + " (the characters an id may not have)", source.codePointAt(firstInvalidIdChar(source)),
            firstInvalidIdChar(source))
        : null;
    if (problem != null) {
      throw new RecordValidationException(id, "source", ValidationRule.SOURCE_INVALID, problem);
    }
    return source;
  }

  public static void checkId(String id) {
    if (id.isEmpty()) {
      throw new RecordValidationException(id, "id", ValidationRule.ID_EMPTY, "id is empty");
    }
    if (id.codePoints().allMatch(RecordValidator::printsBlank)) {
      throw new RecordValidationException(escape(id), "id", ValidationRule.ID_EMPTY,
          "id is only whitespace (or characters that print as nothing)");
    }
    int bytes = utf8Length(id);
    if (bytes > MAX_ID_BYTES) {
      throw new RecordValidationException(
          abbreviate(id), "id", ValidationRule.ID_TOO_LONG,
          "id is " + bytes + " UTF-8 bytes, limit is " + MAX_ID_BYTES);
    }
    int bad = firstInvalidIdChar(id);
    if (bad >= 0) {
      throw new RecordValidationException(
          escape(id), "id", ValidationRule.ID_INVALID_CHARACTER,
          String.format(java.util.Locale.ROOT, "id has U+%04X at index %d (control, default-ignorable, invisible and"
              + " bidi-override characters and unpaired surrogates would corrupt logs, rejects files and terminals,"
              + " make two ids print alike, or be stored as another id)", id.codePointAt(bad), bad));
    }
  }

  private static final java.util.regex.Pattern WHITE_SPACE = java.util.regex.Pattern.compile("\\p{IsWhite_Space}");

  /**
   * Unicode's White_Space (which, unlike {@link Character#isWhitespace}, includes the no-break
   * spaces U+00A0, U+2007 and U+202F), the default-ignorable code points, and U+2800, the one
   * symbol Unicode defines as a blank glyph without calling it space.
   */
  private static boolean printsBlank(int cp) {
    return cp == 0x2800 || DefaultIgnorable.is(cp) || WHITE_SPACE.matcher(Character.toString(cp)).matches();
  }

  /** Index (in chars) of the first control, default-ignorable or separator code point or unpaired surrogate, or -1. */
  private static int firstInvalidIdChar(String id) {
    for (int i = 0; i < id.length(); ) {
      char c = id.charAt(i);
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1)))) {
        return i;
      }
      int cp = id.codePointAt(i);
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || DefaultIgnorable.is(cp) || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        return i; // also invisible ones: bidi overrides, zero-width characters, the BOM, tag characters, fillers
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** Index of the first unpaired surrogate, or -1. */
  private static int firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static void checkUnicode(String id, String field, String value) {
    int bad = firstUnpairedSurrogate(value);
    if (bad >= 0) {
      throw new RecordValidationException(id, field, ValidationRule.INVALID_UNICODE,
          String.format(java.util.Locale.ROOT, "unpaired surrogate U+%04X at index %d", (int) value.charAt(bad), bad));
    }
  }

  /** The id with control characters shown as \\uXXXX, for messages. */
  private static String escape(String id) {
    StringBuilder out = new StringBuilder();
    for (char c : abbreviate(id).toCharArray()) {
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Object checkMetadataValue(String id, String key, Object value) {
    if (key == null || !METADATA_KEY.matcher(key).matches()) {
      throw new RecordValidationException(
          id, "metadata." + key, ValidationRule.METADATA_KEY_INVALID,
          "key must match " + METADATA_KEY.pattern());
    }
    String field = "metadata." + key;
    if (value instanceof String s) {
      checkUnicode(id, field, s);
      int bytes = utf8Length(s);
      if (bytes > MAX_METADATA_VALUE_BYTES) {
        throw new RecordValidationException(
            id, field, ValidationRule.METADATA_VALUE_TOO_LONG,
            "value is " + bytes + " UTF-8 bytes, limit is " + MAX_METADATA_VALUE_BYTES);
      }
      return s;
    }
    if (value instanceof Number n) {
      return toExactDouble(id, field, n);
    }
    throw new RecordValidationException(
        id, field, ValidationRule.METADATA_VALUE_TYPE,
        "value must be a string or a number, got "
            + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  /** Numbers are stored as doubles; refuse any that a double would change. */
  private static Double toExactDouble(String id, String field, Number n) {
    double d = n.doubleValue() + 0.0; // -0.0 becomes 0.0: one zero, which a filter on 0 matches
    if (!Double.isFinite(d)) {
      throw new RecordValidationException(
          id, field, ValidationRule.NON_FINITE_VALUE, "value is " + n);
    }
    // Compared as the number it is: once rounded to a double, 2^53 + 1 looks like 2^53.
    String inexact = ExactDoubles.whyNot(n);
    if (inexact != null) {
      throw new RecordValidationException(id, field, ValidationRule.METADATA_VALUE_TYPE, inexact);
    }
    return d;
  }

  static int utf8Length(String s) {
    // Cheap exact count without allocating the encoded bytes.
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Keeps error messages readable when the id itself is the problem. */
  private static String abbreviate(String id) {
    return id.length() <= 64 ? id : id.substring(0, 32) + "...(" + id.length() + " chars)";
  }
}
