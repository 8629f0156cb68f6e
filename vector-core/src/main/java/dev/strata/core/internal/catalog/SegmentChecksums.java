package dev.strata.core.internal.catalog;

import dev.strata.core.IndexDamagedException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.Directory;

/**
 * Verifies index files against the CRC-32 in their codec footers. Lucene checks the small files
 * (segments_N, .si, .fnm, .liv) when it opens them, but reads vectors, stored fields and doc values
 * without checking: a flipped bit there is served as data. Every file of a commit is therefore
 * checked before it serves its first search after the index (or serving handle) opened, once per
 * opening, and again by the background scrub. Thread-safe.
 */
public final class SegmentChecksums {
  private static final System.Logger LOG = System.getLogger(SegmentChecksums.class.getName());
  private static final int CHUNK = 1 << 16;

  private final Path indexDir;
  /** Files verified since this index was opened: name to length (index files are written once). */
  private final Map<String, Long> verified = new ConcurrentHashMap<>();

  public SegmentChecksums(Path indexDir) {
    this.indexDir = indexDir;
  }

  /** Paces a read to a rate; null reads at full speed. */
  public interface Pacer {
    void read(long bytes) throws InterruptedException;
  }

  /**
   * Verifies every file of {@code commit} that this process has not verified yet.
   *
   * @throws IndexDamagedException naming the file that fails, so nothing is served from it
   */
  public void beforeServing(IndexCommit commit) throws IOException {
    Directory directory = commit.getDirectory();
    for (String file : commit.getFileNames()) {
      long length = directory.fileLength(file);
      Long known = verified.get(file);
      if (known != null && known == length) {
        continue;
      }
      check(indexDir, directory, file, null);
      verified.put(file, length);
    }
    Set<String> present = new HashSet<>(Arrays.asList(directory.listAll()));
    verified.keySet().retainAll(present); // deleted files (merged away, pruned) need no memory
  }

  /**
   * Verifies {@code files}, paced, skipping any that vanished meanwhile (merged away or pruned).
   *
   * @return bytes read
   * @throws IndexDamagedException naming the first file that fails
   */
  public static long scrub(Path indexDir, Directory directory, Iterable<String> files, Pacer pacer) throws IOException {
    long bytes = 0;
    for (String file : files) {
      try {
        bytes += check(indexDir, directory, file, pacer);
      } catch (NoSuchFileException e) {
        if (Arrays.asList(directory.listAll()).contains(file)) {
          throw e;
        }
      }
    }
    return bytes;
  }

  private static long check(Path indexDir, Directory directory, String file, Pacer pacer) throws IOException {
    try (ChecksumIndexInput in = directory.openChecksumInput(file)) {
      long body = in.length() - CodecUtil.footerLength();
      if (body < 0) {
        throw new CorruptIndexException("shorter than a codec footer (" + in.length() + " bytes)", in);
      }
      byte[] buffer = new byte[CHUNK];
      while (in.getFilePointer() < body) {
        int n = (int) Math.min(CHUNK, body - in.getFilePointer());
        in.readBytes(buffer, 0, n);
        if (pacer != null) {
          pacer.read(n);
        }
      }
      CodecUtil.checkFooter(in);
      return in.length();
    } catch (CorruptIndexException | java.io.EOFException e) {
      String problem = "file " + file + " fails its checksum (" + e.getMessage() + "), so no search answers from"
          + " the snapshots that use it";
      LOG.log(System.Logger.Level.ERROR, "index " + indexDir + ": " + problem);
      throw new IndexDamagedException(indexDir, problem);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("checksum of " + file + " interrupted");
    }
  }

}
