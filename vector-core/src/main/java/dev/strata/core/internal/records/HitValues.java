package dev.strata.core.internal.records;

import dev.strata.core.LuceneFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * A record's text and metadata once more, as binary doc values ({@link LuceneFields#HIT_VALUES}),
 * for the hits of a search: reading them is a few memory reads, where the stored fields decompress
 * a block of records for each hit (which cost a search 15-20% of its time). Only records whose
 * text and metadata fit in {@link #MAX_BYTES} carry them here; a larger one carries a marker that
 * sends its reader to the stored fields, which stay the complete copy of every record.
 *
 * <p>Layout: one byte ({@link #IN_STORED_FIELDS}, {@link #WITHOUT_TEXT} or {@link #WITH_TEXT}),
 * the text as Lucene writes a string, the count of metadata entries, then per entry its key, a
 * type byte and the value (a string, or a double's 8 bytes).
 */
public final class HitValues {
  /** Largest encoding kept in doc values: a RAG chunk's text fits, a whole document does not. */
  static final int MAX_BYTES = 4096;

  private static final byte IN_STORED_FIELDS = 0;
  private static final byte WITHOUT_TEXT = 1;
  private static final byte WITH_TEXT = 2;
  private static final byte STRING = 's';
  private static final byte NUMBER = 'd';
  private static final BytesRef STORED_ONLY = new BytesRef(new byte[] {IN_STORED_FIELDS});

  /** A hit's text (null for none) and metadata, as a search returns them. */
  public record TextAndMetadata(String text, Map<String, Object> metadata) {}

  private HitValues() {}

  /** The doc value for a record with {@code text} (may be null) and {@code metadata}. */
  static BytesRef encode(String text, Map<String, Object> metadata) {
    if (text != null && text.length() > MAX_BYTES) {
      return STORED_ONLY; // a UTF-8 encoding is never shorter than its string's chars
    }
    try {
      ByteBuffersDataOutput out = new ByteBuffersDataOutput();
      out.writeByte(text == null ? WITHOUT_TEXT : WITH_TEXT);
      if (text != null) {
        out.writeString(text);
      }
      out.writeVInt(metadata.size());
      for (Map.Entry<String, Object> entry : metadata.entrySet()) {
        out.writeString(entry.getKey());
        if (entry.getValue() instanceof Double d) {
          out.writeByte(NUMBER);
          out.writeLong(Double.doubleToRawLongBits(d));
        } else {
          out.writeByte(STRING);
          out.writeString((String) entry.getValue());
        }
      }
      return out.size() > MAX_BYTES ? STORED_ONLY : new BytesRef(out.toArrayCopy());
    } catch (IOException e) {
      throw new UncheckedIOException("unreachable: writes to memory", e);
    }
  }

  /** The text and metadata in {@code value}, or null when they are in the stored fields only. */
  public static TextAndMetadata decode(BytesRef value) throws IOException {
    ByteArrayDataInput in = new ByteArrayDataInput(value.bytes, value.offset, value.length);
    byte kind = in.readByte();
    if (kind == IN_STORED_FIELDS) {
      return null;
    }
    String text = kind == WITH_TEXT ? in.readString() : null;
    int entries = in.readVInt();
    Map<String, Object> metadata = new LinkedHashMap<>(Math.max(4, entries * 2));
    for (int i = 0; i < entries; i++) {
      String key = in.readString();
      byte type = in.readByte();
      metadata.put(key, switch (type) {
        case NUMBER -> Double.longBitsToDouble(in.readLong());
        case STRING -> in.readString();
        default -> throw new IllegalStateException("hit values of key '" + key + "': unknown type byte " + type);
      });
    }
    return new TextAndMetadata(text, metadata);
  }
}
