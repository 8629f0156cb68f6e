package dev.strata.core.internal.codecs;

import java.io.IOException;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentInfos;

/** Merges only when asked to (a compaction's forced merges), never on its own after a flush. */
public final class CompactionOnlyMergePolicy extends FilterMergePolicy {
  public CompactionOnlyMergePolicy(MergePolicy forcedMerges) {
    super(forcedMerges);
  }

  @Override
  public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
    return null;
  }

  @Override
  public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
      throws IOException {
    return null;
  }
}
