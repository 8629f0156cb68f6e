package dev.strata.core.internal.io;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.RandomAccessInput;

/**
 * Counts the bytes the index writer reads and writes (flushes, merges, commits), so compaction can
 * report the I/O it did instead of estimating it. Written bytes are counted when a file is closed
 * (its length); read bytes as Lucene asks for them, through every clone and slice, except for
 * the vector files that Lucene scores in place (see {@link #scoredInPlace}).
 */
public final class CountingDirectory extends FilterDirectory {
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  public CountingDirectory(Directory in) {
    super(in);
  }

  public long bytesRead() {
    return bytesRead.sum();
  }

  public long bytesWritten() {
    return bytesWritten.sum();
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    return new CountingOutput(in.createOutput(name, context), bytesWritten);
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    return new CountingOutput(in.createTempOutput(prefix, suffix, context), bytesWritten);
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    IndexInput input = in.openInput(name, context);
    if (scoredInPlace(name)) {
      bytesRead.add(input.length());
      return input;
    }
    return CountingInput.wrap(input, bytesRead);
  }

  /**
   * Vector data, HNSW graphs and the temporary vector files of a merge are scored straight from
   * their mmap'd memory segments by Lucene's SIMD code, which a wrapper would hide (a merge then
   * copies every vector to the heap for every comparison: several times slower). They are counted
   * once, at their length, when opened: the bytes a merge reads from them at least once.
   */
  private static boolean scoredInPlace(String name) {
    int dot = name.lastIndexOf('.');
    return dot >= 0 && VECTOR_EXTENSIONS.contains(name.substring(dot + 1));
  }

  private static final java.util.Set<String> VECTOR_EXTENSIONS = java.util.Set.of("vec", "veq", "veb", "vex", "tmp");

  private static final class CountingOutput extends FilterIndexOutput {
    private final LongAdder written;
    private boolean closed;

    CountingOutput(IndexOutput out, LongAdder written) {
      super("counting(" + out + ")", out.getName(), out);
      this.written = written;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        written.add(out.getFilePointer());
      }
      out.close();
    }
  }

  private static final class CountingInput extends IndexInput {
    IndexInput in; // replaced in clones
    final LongAdder read;

    static IndexInput wrap(IndexInput in, LongAdder read) {
      return new CountingInput(in, read);
    }

    CountingInput(IndexInput in, LongAdder read) {
      super("counting(" + in + ")");
      this.in = in;
      this.read = read;
    }

    @Override
    public byte readByte() throws IOException {
      read.increment();
      return in.readByte();
    }

    @Override
    public void readBytes(byte[] b, int offset, int len) throws IOException {
      read.add(len);
      in.readBytes(b, offset, len);
    }

    @Override
    public short readShort() throws IOException {
      read.add(Short.BYTES);
      return in.readShort();
    }

    @Override
    public int readInt() throws IOException {
      read.add(Integer.BYTES);
      return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
      read.add(Long.BYTES);
      return in.readLong();
    }

    @Override
    public void readFloats(float[] floats, int offset, int len) throws IOException {
      read.add((long) len * Float.BYTES);
      in.readFloats(floats, offset, len);
    }

    @Override
    public void readInts(int[] ints, int offset, int len) throws IOException {
      read.add((long) len * Integer.BYTES);
      in.readInts(ints, offset, len);
    }

    @Override
    public void readLongs(long[] longs, int offset, int len) throws IOException {
      read.add((long) len * Long.BYTES);
      in.readLongs(longs, offset, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public long getFilePointer() {
      return in.getFilePointer();
    }

    @Override
    public void seek(long pos) throws IOException {
      in.seek(pos);
    }

    @Override
    public long length() {
      return in.length();
    }

    @Override
    public IndexInput slice(String description, long offset, long length) throws IOException {
      return wrap(in.slice(description, offset, length), read);
    }

    @Override
    public IndexInput slice(String description, long offset, long length, IOContext context) throws IOException {
      return wrap(in.slice(description, offset, length, context), read);
    }

    @Override
    public RandomAccessInput randomAccessSlice(long offset, long length) throws IOException {
      return new CountingRandomAccess(in.randomAccessSlice(offset, length), read);
    }

    @Override
    public void prefetch(long offset, long length) throws IOException {
      in.prefetch(offset, length);
    }

    @Override
    public void updateIOContext(IOContext context) throws IOException {
      in.updateIOContext(context);
    }

    @Override
    public Optional<Boolean> isLoaded() {
      return in.isLoaded();
    }

    @Override
    public CountingInput clone() {
      CountingInput copy = (CountingInput) super.clone();
      copy.in = in.clone();
      return copy;
    }
  }

  private record CountingRandomAccess(RandomAccessInput in, LongAdder read) implements RandomAccessInput {
    @Override
    public long length() {
      return in.length();
    }

    @Override
    public byte readByte(long pos) throws IOException {
      read.increment();
      return in.readByte(pos);
    }

    @Override
    public void readBytes(long pos, byte[] bytes, int offset, int length) throws IOException {
      read.add(length);
      in.readBytes(pos, bytes, offset, length);
    }

    @Override
    public short readShort(long pos) throws IOException {
      read.add(Short.BYTES);
      return in.readShort(pos);
    }

    @Override
    public int readInt(long pos) throws IOException {
      read.add(Integer.BYTES);
      return in.readInt(pos);
    }

    @Override
    public long readLong(long pos) throws IOException {
      read.add(Long.BYTES);
      return in.readLong(pos);
    }

    @Override
    public void prefetch(long offset, long length) throws IOException {
      in.prefetch(offset, length);
    }

    @Override
    public Optional<Boolean> isLoaded() {
      return in.isLoaded();
    }
  }
}
