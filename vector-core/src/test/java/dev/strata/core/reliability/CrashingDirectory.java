package dev.strata.core.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * A directory whose process "dies" at its Nth durable step (a file created, an fsync of files or of
 * the directory, a rename, a delete): that step and every later call fail with {@link Crash}, as
 * if the machine lost power there. {@link #loseUnsyncedFiles} then removes what a power loss may
 * take (files written but never fsynced), so the next open sees what a real crash could leave.
 * With {@code crashAt} 0 it never crashes and counts the steps of a clean run.
 */
final class CrashingDirectory extends FilterDirectory {
  /** The simulated power loss. */
  static final class Crash extends IOException {
    Crash(String message) {
      super(message);
    }
  }

  private final Path path;
  private final int crashAt;
  private final List<String> steps = new ArrayList<>();
  private final Set<String> unsynced = new HashSet<>();
  private volatile boolean crashed;

  CrashingDirectory(Directory in, Path path, int crashAt) {
    super(in);
    this.path = path;
    this.crashAt = crashAt;
  }

  boolean crashed() {
    return crashed;
  }

  /** The steps taken so far (a clean run's are every crash point of the operation). */
  synchronized List<String> steps() {
    return List.copyOf(steps);
  }

  private synchronized void step(String what) throws Crash {
    if (crashed) {
      throw new Crash("the process is dead (crashed at step " + crashAt + ")");
    }
    steps.add(what);
    if (steps.size() == crashAt) {
      crashed = true;
      throw new Crash("crash at step " + crashAt + ": " + what);
    }
  }

  private void alive() throws Crash {
    if (crashed) {
      throw new Crash("the process is dead (crashed at step " + crashAt + ")");
    }
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    step("create " + name);
    synchronized (this) {
      unsynced.add(name);
    }
    return in.createOutput(name, context);
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    step("create temp " + prefix);
    IndexOutput out = in.createTempOutput(prefix, suffix, context);
    synchronized (this) {
      unsynced.add(out.getName());
    }
    return out;
  }

  @Override
  public void sync(Collection<String> names) throws IOException {
    step("fsync " + names.size() + " files");
    in.sync(names);
    synchronized (this) {
      unsynced.removeAll(names);
    }
  }

  @Override
  public void syncMetaData() throws IOException {
    step("fsync directory");
    in.syncMetaData();
  }

  @Override
  public void rename(String source, String dest) throws IOException {
    step("rename " + source + " " + dest);
    in.rename(source, dest);
    synchronized (this) {
      if (unsynced.remove(source)) {
        unsynced.add(dest);
      }
    }
  }

  @Override
  public void deleteFile(String name) throws IOException {
    step("delete " + name);
    in.deleteFile(name);
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    alive();
    return in.openInput(name, context);
  }

  @Override
  public String[] listAll() throws IOException {
    alive();
    return in.listAll();
  }

  /** After the crash: files written but never fsynced are gone, as a power loss may leave them. */
  synchronized List<String> loseUnsyncedFiles() throws IOException {
    List<String> lost = new ArrayList<>();
    for (String name : unsynced) {
      try {
        Files.delete(path.resolve(name));
        lost.add(name);
      } catch (NoSuchFileException e) {
        // deleted before the crash
      }
    }
    return lost;
  }
}
