package dev.strata.core.internal.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * Fsyncs each file once. Lucene's writer asks at every commit to sync every file the commit
 * references, old segments included, so a commit's fsyncs grow with the index (a 1-record commit
 * on a 10-segment index: over 100). Lucene files are written once and never changed, so a file
 * this writer wrote needs one fsync, and a file that was there when it opened needs none: it is
 * referenced by a commit, whose files were synced before that commit was written, or it is
 * referenced by none, and the writer deletes it on open.
 */
public final class SyncOnceDirectory extends FilterDirectory {
  private final Set<String> unsynced = ConcurrentHashMap.newKeySet();

  public SyncOnceDirectory(Directory in) {
    super(in);
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    IndexOutput out = super.createOutput(name, context);
    unsynced.add(name);
    return out;
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    IndexOutput out = super.createTempOutput(prefix, suffix, context);
    unsynced.add(out.getName());
    return out;
  }

  @Override
  public void rename(String source, String dest) throws IOException {
    super.rename(source, dest);
    if (unsynced.remove(source)) {
      unsynced.add(dest);
    }
  }

  @Override
  public void deleteFile(String name) throws IOException {
    super.deleteFile(name);
    unsynced.remove(name);
  }

  @Override
  public void sync(Collection<String> names) throws IOException {
    List<String> needed = new ArrayList<>(names.size());
    for (String name : names) {
      if (unsynced.contains(name)) {
        needed.add(name);
      }
    }
    super.sync(needed);
    needed.forEach(unsynced::remove); // only once they are durable: a failed sync is retried next commit
  }
}
