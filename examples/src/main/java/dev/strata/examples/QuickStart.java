package dev.strata.examples;

import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.MetadataFilter;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's API example, compiled and tested so it cannot rot: create an index, upsert records
 * with text and metadata, commit a snapshot, and search with a metadata filter.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.strata.examples.QuickStart [DIR]}
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("strata-quickstart");
    run(dir.resolve("index"), System.out);
  }

  public static void run(Path indexDir, PrintStream out) {
    // --8<-- [start:api]
    IndexSchema schema = IndexSchema.builder(4, Similarity.COSINE).build();
    try (VectorIndex index = VectorIndex.create(indexDir, schema)) {
      index.upsertAll(
          List.of(
              new Record("doc-1", new float[] {0.9f, 0.1f, 0, 0}, "Lucene builds HNSW graphs per segment.",
                  Map.of("topic", "search", "year", 2024)),
              new Record("doc-2", new float[] {0.8f, 0.3f, 0.1f, 0}, "Quantization trades recall for memory.",
                  Map.of("topic", "search", "year", 2021)),
              new Record("doc-3", new float[] {0, 0.1f, 0.9f, 0.2f}, "Sourdough needs a lively starter.",
                  Map.of("topic", "baking", "year", 2024))));
      SnapshotInfo snapshot = index.commit("first three documents");

      float[] query = {1, 0.2f, 0, 0};
      SearchResult result =
          index.search(
              SearchRequest.builder(query)
                  .k(2)
                  .filter(MetadataFilter.and(
                      MetadataFilter.term("topic", "search"),
                      MetadataFilter.range("year", 2023.0, null)))
                  .build());
      for (Hit hit : result.hits()) {
        out.printf("%s %.3f %s%n", hit.id(), hit.score(), hit.text());
      }
      out.printf("snapshot %d holds %d records%n", snapshot.id(), snapshot.liveCount());
    }
    // --8<-- [end:api]
  }
}
