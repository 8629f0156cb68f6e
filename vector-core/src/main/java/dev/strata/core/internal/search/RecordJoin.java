package dev.strata.core.internal.search;

import dev.strata.core.RecordChanges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;

/**
 * Compares two snapshots record by record by walking both in id order side by side: heap grows
 * with the changes found and 8 bytes per document, not with maps of every id (a catch-up of a
 * ten-million-record index fits a small heap).
 */
public final class RecordJoin {
  private RecordJoin() {}

  /** What changed from {@code before} to {@code after}. */
  public static RecordChanges between(IndexReader before, IndexReader after) throws IOException {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    long unchanged = 0;
    LiveIdCursor old = new LiveIdCursor(before);
    LiveIdCursor now = new LiveIdCursor(after);
    boolean hasOld = old.next();
    boolean hasNow = now.next();
    while (hasOld || hasNow) {
      int order = !hasOld ? 1 : !hasNow ? -1 : old.id().compareTo(now.id());
      if (order < 0) {
        removed.add(old.id().utf8ToString());
        hasOld = old.next();
      } else if (order > 0) {
        added.add(now.id().utf8ToString());
        hasNow = now.next();
      } else {
        if (old.hash() != now.hash()) {
          changed.add(now.id().utf8ToString());
        } else {
          unchanged++;
        }
        hasOld = old.next();
        hasNow = now.next();
      }
    }
    // Byte order and String order differ past the Basic Multilingual Plane; callers get String order.
    added.sort(null);
    removed.sort(null);
    changed.sort(null);
    return new RecordChanges(added, removed, changed, unchanged);
  }
}
