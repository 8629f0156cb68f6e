package dev.strata.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .fvecs} / {@code .ivecs} formats of the ANN benchmarks (TEXMEX, ann-benchmarks): each
 * vector is a little-endian int32 dimension followed by that many float32 (or int32) values.
 */
final class VectorFiles {
  private VectorFiles() {}

  static float[][] readFvecs(Path file) throws IOException {
    List<float[]> out = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (readFully(in, header.array())) {
        int dim = header.getInt(0);
        if (dim <= 0 || dim > 65_536) {
          throw new IOException(file + ": vector " + out.size() + " claims dimension " + dim);
        }
        byte[] bytes = new byte[dim * 4];
        if (!readFully(in, bytes)) {
          throw new IOException(file + ": truncated in vector " + out.size());
        }
        float[] v = new float[dim];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        out.add(v);
      }
    }
    return out.toArray(float[][]::new);
  }

  static int[][] readIvecs(Path file) throws IOException {
    float[][] raw = readFvecs(file); // same layout; reinterpret the bits
    int[][] out = new int[raw.length][];
    for (int i = 0; i < raw.length; i++) {
      out[i] = new int[raw[i].length];
      for (int j = 0; j < raw[i].length; j++) {
        out[i][j] = Float.floatToRawIntBits(raw[i][j]);
      }
    }
    return out;
  }

  static void writeFvecs(Path file, float[][] vectors) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (float[] v : vectors) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v.length);
        b.asFloatBuffer().put(v);
        out.write(b.array());
      }
    }
  }

  static void writeIvecs(Path file, int[][] rows) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int[] row : rows) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(row.length);
        b.asIntBuffer().put(row);
        out.write(b.array());
      }
    }
  }

  private static boolean readFully(InputStream in, byte[] into) throws IOException {
    int read = 0;
    while (read < into.length) {
      int n = in.read(into, read, into.length - read);
      if (n < 0) {
        if (read == 0) {
          return false;
        }
        throw new EOFException("file ends inside a record");
      }
      read += n;
    }
    return true;
  }
}
