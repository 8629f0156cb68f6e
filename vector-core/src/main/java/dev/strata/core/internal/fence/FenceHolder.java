package dev.strata.core.internal.fence;

import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether a live migration's fence still has its migration: an OS lock on {@value #FILE} that
 * the migration holds from the raise to its end, released by the
 * kernel when its process dies, in whatever PID namespace. This process's own holds are looked
 * up, never probed: closing any channel on the file would drop the lock the process holds on it.
 */
final class FenceHolder {
  static final String FILE = "strata-fence.holder";
  private static final Map<Path, FileLock> HELD_HERE = new HashMap<>(); // guarded by itself

  private FenceHolder() {}

  static void take(Path index) {
    synchronized (HELD_HERE) {
      Path key = key(index);
      if (HELD_HERE.containsKey(key)) {
        throw new StrataException("index " + index + " is already fenced by another live migration in this process");
      }
      try {
        FileChannel channel = FileChannel.open(index.resolve(FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          channel.close();
          throw new StrataException("index " + index + " is fenced by a live migration in another process (it holds "
              + FILE + ")");
        }
        HELD_HERE.put(key, lock);
      } catch (IOException e) {
        throw new StrataException("cannot take the write fence holder lock of index " + index + ": " + e, e);
      }
    }
  }

  static void release(Path index) {
    synchronized (HELD_HERE) {
      FileLock lock = HELD_HERE.remove(key(index));
      if (lock != null) {
        try {
          lock.acquiredBy().close(); // releases the lock with it
        } catch (IOException e) {
          throw new StrataException("cannot release the write fence holder lock of index " + index + ": " + e, e);
        }
      }
    }
  }

  /** Whether a migration holds the holder lock of {@code index}: this process's, or another's (the kernel's word). */
  static boolean alive(Path index) {
    synchronized (HELD_HERE) {
      if (HELD_HERE.containsKey(key(index))) {
        return true;
      }
      if (!Files.exists(index.resolve(FILE))) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(index.resolve(FILE), StandardOpenOption.WRITE)) {
        FileLock probe = channel.tryLock();
        if (probe == null) {
          return true;
        }
        probe.release();
        return false;
      } catch (OverlappingFileLockException e) {
        return true;
      } catch (IOException e) {
        throw new StrataException("cannot probe the write fence holder lock of index " + index + ": " + e, e);
      }
    }
  }

  /** One entry per directory, however a caller spells its path. */
  static Path key(Path index) {
    Path absolute = index.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute;
    }
  }
}
