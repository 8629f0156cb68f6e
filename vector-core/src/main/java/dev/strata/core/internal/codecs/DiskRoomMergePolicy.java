package dev.strata.core.internal.codecs;

import dev.strata.core.internal.io.DiskRoom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * Lucene's background merges, started only where the disk has room for them: a merge that fills
 * the disk closes the writer and takes every write buffered since the last commit with it (the
 * next commit reports them lost). A natural merge whose inputs, with {@link DiskRoom}'s headroom,
 * do not fit in the usable space is left out, with a warning; the segments stay as they are and
 * are merged by a later round once there is room. Forced merges (compaction, graph builds) are the
 * caller's explicit request and check the room themselves.
 */
public final class DiskRoomMergePolicy extends FilterMergePolicy {
  private static final System.Logger LOG = System.getLogger(DiskRoomMergePolicy.class.getName());

  private final Path index;
  private final LongSupplier usableBytes;
  private volatile long lastWarnedShortfall = -1;

  public DiskRoomMergePolicy(MergePolicy in, Path index) {
    this(in, index, () -> {
      try {
        return Files.getFileStore(index).getUsableSpace();
      } catch (IOException e) {
        return Long.MAX_VALUE; // cannot tell: let Lucene try, as it would without this check
      }
    });
  }

  public DiskRoomMergePolicy(MergePolicy in, Path index, LongSupplier usableBytes) {
    super(in);
    this.index = index;
    this.usableBytes = usableBytes;
  }

  @Override
  public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) throws IOException {
    MergeSpecification proposed = super.findMerges(trigger, infos, context);
    if (proposed == null || proposed.merges.isEmpty()) {
      return proposed;
    }
    long usable = usableBytes.getAsLong();
    MergeSpecification fitting = new MergeSpecification();
    long planned = 0;
    for (OneMerge merge : proposed.merges) {
      long needed = (long) (inputBytes(merge) * DiskRoom.MERGE_HEADROOM);
      if (planned + needed <= usable) {
        fitting.add(merge);
        planned += needed; // merges of one round run at once: each needs its own room
      } else {
        warnOnce(needed, usable - planned);
      }
    }
    return fitting.merges.isEmpty() ? null : fitting;
  }

  private static long inputBytes(OneMerge merge) throws IOException {
    long bytes = 0;
    for (SegmentCommitInfo info : merge.segments) {
      bytes += info.sizeInBytes();
    }
    return bytes;
  }

  /** One warning per shortfall, not one per commit while the disk stays full. */
  private void warnOnce(long needed, long free) {
    long shortfallMb = (needed - free) >> 20;
    if (shortfallMb != lastWarnedShortfall) {
      lastWarnedShortfall = shortfallMb;
      LOG.log(System.Logger.Level.WARNING, String.format(Locale.ROOT, "index %s: a background merge needing about %.1f MB"
          + " was not started, the disk has %.1f MB free; segments stay unmerged (searches a little slower) until"
          + " space is freed", index, needed / 1e6, Math.max(0, free) / 1e6));
    }
  }
}
