package dev.strata.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 input, one at a time, each decoded on its own: a line that is not valid
 * UTF-8, or longer than the limit, comes back as an error with its number instead of ending the
 * read, so one bad line costs that line only. An over-long line is skipped as it is read, never
 * held in memory whole. {@code \n} and {@code \r\n} both end a line; a UTF-8 byte order mark at
 * the start is dropped. Not thread-safe.
 */
final class InputLines {
  /** Line {@code number} (from 1): its text, or why it could not be read. */
  record Line(long number, String text, String error) {}

  private static final int BUFFER = 1 << 16;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[BUFFER];
  private int position;
  private int limit;
  private long number;
  private byte[] line = new byte[1024];

  InputLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    int length = 0;
    boolean tooLong = false;
    boolean sawAny = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, BUFFER);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!sawAny) {
            return null;
          }
          break;
        }
      }
      sawAny = true;
      byte b = buffer[position++];
      if (b == '\n') {
        break;
      }
      if (tooLong) {
        continue;
      }
      if (length == maxLineBytes) {
        tooLong = true;
        continue;
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
      }
      line[length++] = b;
    }
    number++;
    if (tooLong) {
      return new Line(number, null, "line is longer than " + maxLineBytes + " bytes; skipped");
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    int start = number == 1 && length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(line, start, length - start);
    try {
      return new Line(number, decoder.decode(bytes).toString(), null);
    } catch (CharacterCodingException e) {
      return new Line(number, null, "not valid UTF-8 at byte offset " + (bytes.position() - start));
    }
  }
}
