package dev.strata.opensearch;

import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.Record;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.testing.ClusteredVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Local indexes with known contents for the publish tests. */
final class PublishTestData {
  static final int DIMENSION = 32;

  private PublishTestData() {}

  static ModelFingerprint model(String name) {
    byte[] digest = new byte[32];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) (name.hashCode() * 31 + i);
    }
    return new ModelFingerprint(name, HexFormat.of().formatHex(digest));
  }

  /** A cosine index of {@code count} clustered records, text and two metadata fields each, committed. */
  static VectorIndex create(Path dir, ModelFingerprint model, long seed, int count) {
    VectorIndex index = VectorIndex.create(dir, IndexSchema.builder(DIMENSION, Similarity.COSINE)
        .modelFingerprint(model.encoded()).build());
    add(index, model, seed, 0, count);
    return index;
  }

  /** Upserts records {@code from .. from+count-1} and commits. */
  static void add(VectorIndex index, ModelFingerprint model, long seed, int from, int count) {
    float[][] vectors = ClusteredVectors.generate(seed + from, count, DIMENSION, 20);
    List<Record> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = from + i;
      records.add(new Record("doc-" + n, vectors[i], "passage number " + n,
          Map.of("group", "g" + (n % 5), "rank", n)));
    }
    index.upsertAll(records, VectorSource.model(model));
    index.commit("records " + from + ".." + (from + count - 1));
  }
}
