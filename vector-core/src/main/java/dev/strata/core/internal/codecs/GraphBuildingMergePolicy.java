package dev.strata.core.internal.codecs;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * Makes a forced merge (a compaction) also rewrite, alone if nothing else merges them, the
 * segments named by {@link #rebuildGraphsOf}: segments flushed without their HNSW graph, which a
 * merge builds. Without this a compaction to one segment would leave a single graph-less segment
 * as it is, since Lucene does not merge a segment that is already the only one.
 */
public final class GraphBuildingMergePolicy extends FilterMergePolicy {
  private volatile Set<String> graphless = Set.of();
  private volatile Set<String> together = Set.of();

  private final BooleanSupplier bulkLoading;

  public GraphBuildingMergePolicy(MergePolicy in) {
    this(in, () -> false);
  }

  /**
   * {@code bulkLoading}: while it says so, no background merge starts: it would build the graphs
   * of segments that the bulk load's graph build merges again right after.
   */
  public GraphBuildingMergePolicy(MergePolicy in, BooleanSupplier bulkLoading) {
    super(in);
    this.bulkLoading = bulkLoading;
  }

  /** The graph-building policy in a writer's policy: itself, or under the {@link VectorOrderMergePolicy}. */
  public static GraphBuildingMergePolicy of(MergePolicy writerPolicy) {
    return (GraphBuildingMergePolicy) (writerPolicy instanceof VectorOrderMergePolicy ordered ? ordered.inner() : writerPolicy);
  }

  @Override
  public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
      throws IOException {
    return bulkLoading.getAsBoolean() ? null : super.findMerges(trigger, infos, context);
  }

  /** The segments the next forced merges must rewrite; empty to stop. */
  public void rebuildGraphsOf(Set<String> segmentNames) {
    graphless = Set.copyOf(segmentNames);
  }

  /**
   * Makes the next forced merges merge {@code segmentNames} into one segment, and nothing else: a
   * bulk load's graph build. Empty to stop.
   */
  public void mergeTogether(Set<String> segmentNames) {
    together = Set.copyOf(segmentNames);
  }

  @Override
  public MergeSpecification findForcedMerges(
      SegmentInfos infos, int maxSegmentCount, Map<SegmentCommitInfo, Boolean> segmentsToMerge,
      MergeContext context) throws IOException {
    Set<String> merged = together;
    if (!merged.isEmpty()) {
      return togetherMerge(infos, merged, segmentsToMerge, context);
    }
    MergeSpecification spec = super.findForcedMerges(infos, maxSegmentCount, segmentsToMerge, context);
    Set<String> rebuild = graphless;
    if (rebuild.isEmpty()) {
      return spec;
    }
    Set<SegmentCommitInfo> taken = new HashSet<>(context.getMergingSegments());
    if (spec != null) {
      for (OneMerge merge : spec.merges) {
        taken.addAll(merge.segments);
      }
    }
    for (SegmentCommitInfo info : infos) {
      if (rebuild.contains(info.info.name) && !taken.contains(info) && segmentsToMerge.containsKey(info)) {
        spec = spec == null ? new MergeSpecification() : spec;
        spec.add(new OneMerge(List.of(info)));
      }
    }
    return spec;
  }

  private static MergeSpecification togetherMerge(
      SegmentInfos infos, Set<String> names, Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) {
    List<SegmentCommitInfo> segments = new java.util.ArrayList<>();
    for (SegmentCommitInfo info : infos) {
      if (names.contains(info.info.name) && segmentsToMerge.containsKey(info)
          && !context.getMergingSegments().contains(info)) {
        segments.add(info);
      }
    }
    if (segments.isEmpty()) {
      return null;
    }
    MergeSpecification spec = new MergeSpecification();
    spec.add(new OneMerge(segments));
    return spec;
  }
}
