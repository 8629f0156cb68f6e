package dev.strata.core.serving;

import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.catalog.CommitData;
import dev.strata.core.internal.io.Failures;
import dev.strata.core.internal.records.LuceneDocuments;
import dev.strata.core.internal.search.SnapshotSearcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

/**
 * Upgrades an index written by an older Lucene (read through lucene-backward-codecs): every record
 * is copied into a current-format index beside it (so each gets its digest hash and the index a
 * manifest), which is verified and then renamed into place. The old directory is kept as
 * {@code DIR.pre-upgrade} until the operator removes it.
 */
public final class IndexUpgrade {
  private static final int BATCH = 1_000;

  private IndexUpgrade() {}

  /**
   * Rewrites an index written by an older Lucene in the current format, with a snapshot manifest:
   * its schema is kept, or inferred from the vector field if it never had one. The new index is
   * verified and then renamed into place; the old directory stays as {@code DIR.pre-upgrade}.
   *
   * @return the new index's first snapshot
   */
  public static SnapshotInfo upgrade(Path path) {
    try {
      return run(path);
    } catch (IOException e) {
      throw Failures.of("cannot upgrade index " + path, e);
    }
  }

  static SnapshotInfo run(Path path) throws IOException {
    Path staging = path.resolveSibling(path.getFileName() + ".upgrading");
    Path backup = path.resolveSibling(path.getFileName() + ".pre-upgrade");
    if (Files.exists(staging) || Files.exists(backup)) {
      throw new IllegalStateException("remove " + staging + " and " + backup + " (left by an earlier upgrade) first");
    }
    SnapshotInfo result;
    try (Directory old = FSDirectory.open(path)) {
      if (!DirectoryReader.indexExists(old)) {
        throw new IndexNotFoundException(path, "the directory holds no committed index");
      }
      int major = oldestSegmentMajor(old);
      try (DirectoryReader reader = DirectoryReader.open(old);
          VectorIndex fresh = VectorIndex.create(staging, upgradedSchema(reader))) {
        Map<String, String> data = reader.getIndexCommit().getUserData();
        long previous = CommitData.isStrataCommit(data) ? CommitData.snapshot(data).id() : 0;
        VectorSource own = VectorSource.unchecked("upgrade copies the index's own vectors");
        List<Record> batch = new ArrayList<>(BATCH);
        for (int doc = 0; doc < reader.maxDoc(); doc++) {
          SnapshotSearcher.recordAt(reader, doc).ifPresent(batch::add);
          if (batch.size() == BATCH || doc == reader.maxDoc() - 1) {
            fresh.upsertAll(batch, own);
            batch.clear();
          }
        }
        fresh.buildGraphs(); // one snapshot, searched through its graph from the moment it replaces the old index
        result = fresh.commit(
            "upgraded from Lucene " + major + (previous == 0 ? " (no manifest before)" : " (was snapshot " + previous + ")"));
        if (result.liveCount() != reader.numDocs() || !fresh.history().verify(Long.toString(result.id())).sound()) {
          throw new StrataException("upgrade of " + path + " did not copy every record; the old index is untouched");
        }
      }
    }
    Files.move(path, backup, StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
    return result;
  }

  /** The oldest Lucene major version that wrote a segment of the latest commit. */
  static int oldestSegmentMajor(Directory directory) throws IOException {
    SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
    Version min = infos.getMinSegmentLuceneVersion();
    return min == null ? Version.LATEST.major : min.major;
  }

  /** Every record is written again, so the upgraded index gets full-text search whatever it had. */
  private static IndexSchema upgradedSchema(DirectoryReader reader) throws IOException {
    return schemaOf(reader, reader.getIndexCommit().getUserData()).toBuilder().fullText(true).build();
  }

  /** The schema in the commit's manifest, or one inferred from the vector field when there is none. */
  static IndexSchema schemaOf(DirectoryReader reader, Map<String, String> commitData) {
    if (CommitData.isStrataCommit(commitData)) {
      return CommitData.schema(commitData);
    }
    FieldInfo vector = FieldInfos.getMergedFieldInfos(reader).fieldInfo(LuceneDocuments.VECTOR);
    if (vector == null || vector.getVectorDimension() == 0) {
      throw new StrataException(
          "index has no '" + LuceneDocuments.VECTOR + "' vector field: it was not written in Strata's layout");
    }
    return IndexSchema.builder(vector.getVectorDimension(), similarity(vector.getVectorSimilarityFunction())).build();
  }

  private static Similarity similarity(VectorSimilarityFunction f) {
    return switch (f) {
      case COSINE -> Similarity.COSINE;
      case DOT_PRODUCT -> Similarity.DOT_PRODUCT;
      case EUCLIDEAN -> Similarity.EUCLIDEAN;
      case MAXIMUM_INNER_PRODUCT -> Similarity.MAX_INNER_PRODUCT;
    };
  }
}
