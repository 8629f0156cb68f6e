package dev.strata.admin;

import dev.strata.core.Record;
import dev.strata.core.TextRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CSV records (RFC 4180 quoting: fields in double quotes may hold commas, and {@code ""} is
 * a quote) against the file's header: {@code id} (required), {@code vector} (required unless the
 * lines are to be embedded: floats separated by spaces or semicolons, or a JSON array), {@code
 * text}, and any other column as metadata, a string, or a number when its header says {@code
 * name:number}. An empty cell leaves a metadata field out.
 *
 * <p>One record per line: a quoted field cannot span lines, so a stray quote costs its own line
 * and not every line after it.
 */
final class CsvRecordParser implements RecordLineParser {
  private static final String NUMBER_SUFFIX = ":number";
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Pattern NON_FINITE = Pattern.compile("NaN|-?Infinity");

  private final int idColumn;
  private final int vectorColumn; // -1: none
  private final int textColumn; // -1: none
  private final List<String> columns;
  private final Set<Integer> numeric = new HashSet<>();

  private CsvRecordParser(List<String> header) {
    columns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String raw = header.get(i).strip();
      String name = raw;
      if (raw.endsWith(NUMBER_SUFFIX)) {
        name = raw.substring(0, raw.length() - NUMBER_SUFFIX.length());
        numeric.add(i);
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("CSV header: column " + (i + 1) + " has no name");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("CSV header: column '" + name + "' appears twice");
      }
      columns.add(name);
    }
    idColumn = columns.indexOf("id");
    vectorColumn = columns.indexOf("vector");
    textColumn = columns.indexOf("text");
    if (idColumn < 0) {
      throw new IllegalArgumentException("CSV header has no 'id' column: " + header);
    }
    for (int reserved : new int[] {idColumn, vectorColumn, textColumn}) {
      if (reserved >= 0 && numeric.contains(reserved)) {
        throw new IllegalArgumentException("CSV header: '" + columns.get(reserved) + "' cannot be ':number'");
      }
    }
  }

  /** A parser for the records under {@code headerLine}, the file's first line. */
  static CsvRecordParser forHeader(String headerLine) {
    try {
      return new CsvRecordParser(fields(headerLine, null));
    } catch (JsonRecordParser.MalformedRecordException e) {
      throw new IllegalArgumentException("CSV header: " + e.getMessage(), e);
    }
  }

  @Override
  public Record parse(String line) throws JsonRecordParser.MalformedRecordException {
    List<String> cells = cells(line);
    String id = cells.get(idColumn);
    if (vectorColumn < 0) {
      throw new JsonRecordParser.MalformedRecordException(id, "the CSV header has no 'vector' column (use --embed for texts)");
    }
    return new Record(id, vector(id, cells.get(vectorColumn)), text(cells), metadata(id, cells));
  }

  @Override
  public TextRecord parseText(String line) throws JsonRecordParser.MalformedRecordException {
    List<String> cells = cells(line);
    String id = cells.get(idColumn);
    if (vectorColumn >= 0 && !cells.get(vectorColumn).isEmpty()) {
      throw new JsonRecordParser.MalformedRecordException(id, "has a vector; records to embed carry text only");
    }
    String text = text(cells);
    if (text == null || text.isBlank()) {
      throw new JsonRecordParser.MalformedRecordException(id, "missing text to embed");
    }
    return new TextRecord(id, text, metadata(id, cells));
  }

  private List<String> cells(String line) throws JsonRecordParser.MalformedRecordException {
    List<String> cells = fields(line, null);
    if (cells.size() != columns.size()) {
      String id = idColumn < cells.size() ? cells.get(idColumn) : null;
      throw new JsonRecordParser.MalformedRecordException(id,
          "has " + cells.size() + " fields, the header " + columns.size());
    }
    return cells;
  }

  private String text(List<String> cells) {
    if (textColumn < 0) {
      return null;
    }
    String text = cells.get(textColumn);
    return text.isEmpty() ? null : text;
  }

  private Map<String, Object> metadata(String id, List<String> cells) throws JsonRecordParser.MalformedRecordException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (i == idColumn || i == vectorColumn || i == textColumn || cells.get(i).isEmpty()) {
        continue;
      }
      String cell = cells.get(i);
      if (numeric.contains(i)) {
        metadata.put(columns.get(i), number(id, columns.get(i), cell.strip()));
      } else {
        metadata.put(columns.get(i), cell);
      }
    }
    return metadata;
  }

  private static float[] vector(String id, String cell) throws JsonRecordParser.MalformedRecordException {
    String body = cell.strip();
    if (body.startsWith("[") && body.endsWith("]")) {
      body = body.substring(1, body.length() - 1).replace(',', ' ');
    }
    String[] parts = body.split("[\\s;]+");
    if (body.isEmpty() || parts.length == 0) {
      throw new JsonRecordParser.MalformedRecordException(id, "empty vector");
    }
    float[] vector = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      // Decimal only, as in number columns: Java's float syntax (0x1p3, 1f, 0d) is no CSV number.
      // NaN, Infinity and values beyond float range parse; the index rejects them as non-finite.
      if (!DECIMAL.matcher(parts[i]).matches() && !NON_FINITE.matcher(parts[i]).matches()) {
        throw new JsonRecordParser.MalformedRecordException(id, "vector[" + i + "] is not a decimal number: '"
            + abbreviate(parts[i]) + "'");
      }
      vector[i] = Float.parseFloat(parts[i]);
    }
    return vector;
  }

  /** The fields of one CSV line; {@code id} names the record in errors when known. */
  private static List<String> fields(String line, String id) throws JsonRecordParser.MalformedRecordException {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new JsonRecordParser.MalformedRecordException(id,
                "unterminated quoted field " + (out.size() + 1) + " (a quoted field cannot span lines)");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new JsonRecordParser.MalformedRecordException(id,
              "text after the closing quote of field " + (out.size() + 1));
        }
      } else {
        while (i < line.length() && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new JsonRecordParser.MalformedRecordException(id,
                "a quote inside unquoted field " + (out.size() + 1) + " (quote the field and double the quote)");
          }
          field.append(c);
        }
      }
      out.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return out;
      }
      i++; // the comma
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /**
   * A number cell, strictly decimal (no hex, no {@code NaN}, no {@code 1d}): an integer stays an
   * integer, so the index can refuse one beyond 2^53 instead of storing it rounded.
   */
  private static Number number(String id, String column, String cell) throws JsonRecordParser.MalformedRecordException {
    if (!DECIMAL.matcher(cell).matches()) {
      throw new JsonRecordParser.MalformedRecordException(id, "column '" + column + "' is a number column, got '"
          + abbreviate(cell) + "' (a decimal number like 12, -3.5 or 1e6)");
    }
    boolean integer = cell.indexOf('.') < 0 && cell.indexOf('e') < 0 && cell.indexOf('E') < 0;
    return integer ? new BigInteger(cell) : new java.math.BigDecimal(cell); // exact: the index refuses one a double would round
  }
}
