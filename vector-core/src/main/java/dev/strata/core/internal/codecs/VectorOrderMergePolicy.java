package dev.strata.core.internal.codecs;

import dev.strata.core.LuceneFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.store.Directory;

/**
 * Writes each large merged segment in {@link VectorBisection}'s order, so that a search's vector
 * reads fall on fewer pages. Only merges whose vectors outgrow a CPU's last-level cache are
 * reordered ({@link #MIN_VECTOR_BYTES}): below that the order buys nothing, and a reordered
 * merge cannot bulk-copy stored fields, it rewrites them. Nor is a merge reordered whose largest
 * input holds half its documents or more with its graph: Lucene builds such a merge's graph by
 * adding the others to that one, which a new order would forgo (a compaction after a few updates,
 * a big segment absorbing small ones); a bulk load's merge, of segments flushed without their
 * graphs, builds the whole graph anyway.
 *
 * <p>The order changes doc ids only; records, their digest, ids and hits are the same.
 */
public final class VectorOrderMergePolicy extends FilterMergePolicy {
  /** 32 MiB: the last-level cache of a typical server core complex. */
  static final long MIN_VECTOR_BYTES = 32L << 20;

  private static final System.Logger LOG = System.getLogger(VectorOrderMergePolicy.class.getName());

  private final int minVectors;
  private final int threads;

  /**
   * Reorders merges of at least {@link #MIN_VECTOR_BYTES} of {@code dimension}-float vectors,
   * bisecting on {@code threads} threads.
   */
  public static VectorOrderMergePolicy forDimension(MergePolicy in, int dimension, int threads) {
    return new VectorOrderMergePolicy(in, (int) Math.max(2 * VectorBisection.MIN_PARTITION, MIN_VECTOR_BYTES / (4L * dimension)),
        threads);
  }

  /** Reorders merges of at least {@code minVectors} vectors, bisecting on {@code threads} threads. */
  public VectorOrderMergePolicy(MergePolicy in, int minVectors, int threads) {
    super(in);
    this.minVectors = minVectors;
    this.threads = threads;
  }

  MergePolicy inner() {
    return in;
  }

  @Override
  public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
      throws IOException {
    return reordered(super.findMerges(trigger, infos, context));
  }

  @Override
  public MergeSpecification findForcedMerges(
      SegmentInfos infos, int maxSegmentCount, Map<SegmentCommitInfo, Boolean> segmentsToMerge,
      MergeContext context) throws IOException {
    return reordered(super.findForcedMerges(infos, maxSegmentCount, segmentsToMerge, context));
  }

  @Override
  public MergeSpecification findForcedDeletesMerges(SegmentInfos infos, MergeContext context) throws IOException {
    return reordered(super.findForcedDeletesMerges(infos, context));
  }

  @Override
  public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
      throws IOException {
    return reordered(super.findFullFlushMerges(trigger, infos, context));
  }

  private MergeSpecification reordered(MergeSpecification spec) {
    if (spec == null) {
      return null;
    }
    MergeSpecification out = new MergeSpecification();
    for (OneMerge merge : spec.merges) {
      out.add(worthReordering(merge) ? new ReorderedMerge(merge) : merge);
    }
    return out;
  }

  private boolean worthReordering(OneMerge merge) {
    long docs = 0;
    long largestWithGraph = 0;
    for (SegmentCommitInfo info : merge.segments) {
      long live = info.info.maxDoc() - info.getDelCount();
      docs += live;
      if (!"true".equals(info.info.getAttribute(DeferredGraphVectorsFormat.FLAT_ATTRIBUTE))) {
        largestWithGraph = Math.max(largestWithGraph, live);
      }
    }
    return docs >= minVectors && 2 * largestWithGraph < docs;
  }

  private final class ReorderedMerge extends OneMerge {
    ReorderedMerge(OneMerge merge) {
      super(merge);
    }

    @Override
    public Sorter.DocMap reorder(CodecReader reader, Directory dir, Executor executor) throws IOException {
      long start = System.nanoTime();
      Sorter.DocMap order = VectorBisection.docMap(reader, LuceneFields.VECTOR, minVectors, threads, this::checkAbortedUnchecked);
      if (order != null) {
        LOG.log(System.Logger.Level.INFO, () -> String.format("merge of %d documents ordered by their vectors in %.1f s",
            order.size(), (System.nanoTime() - start) / 1e9));
      }
      return order;
    }

    private void checkAbortedUnchecked() {
      try {
        checkAborted();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
