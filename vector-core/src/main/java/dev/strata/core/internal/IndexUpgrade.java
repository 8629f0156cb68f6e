package dev.strata.core.internal;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Version;

/** Reads what an index from an older Lucene (through lucene-backward-codecs) says about itself. */
public final class IndexUpgrade {
  private IndexUpgrade() {}

  /** The oldest Lucene major version that wrote a segment of the latest commit. */
  public static int oldestSegmentMajor(Directory directory) throws IOException {
    SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
    Version min = infos.getMinSegmentLuceneVersion();
    return min == null ? Version.LATEST.major : min.major;
  }

  /** The schema in the commit's manifest, or one inferred from the vector field when there is none. */
  public static IndexSchema schemaOf(DirectoryReader reader, Map<String, String> commitData) {
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
