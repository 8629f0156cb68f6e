package dev.strata.examples;

import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.SearchResult;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Text in, text out with the default model: the index records the model's fingerprint, so a
 * different model can never write to it or query it. The README shows the marked part.
 */
public final class TextSearch {
  private TextSearch() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("strata-text");
    run(dir.resolve("index"), System.out);
  }

  public static void run(Path indexDir, PrintStream out) {
    // --8<-- [start:text]
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
        VectorIndex index = VectorIndex.create(indexDir, IndexSchema.forEmbedder(embedder).build())) {
      TextIndex texts = TextIndex.of(index, embedder); // refuses an index built with another model
      texts.upsertAll(
          List.of(
              new TextRecord("snapshots", "Every commit is a snapshot you can search or roll back to.", Map.of("topic", "ops")),
              new TextRecord("validation", "Records with NaN values or the wrong dimension are rejected.", Map.of("topic", "ingest")),
              new TextRecord("baking", "Sourdough rises slowly with a wild yeast starter.", Map.of("topic", "food"))));
      index.commit("three passages");

      SearchResult result = texts.search("can I go back to yesterday's version of the index?", 1, null);
      for (Hit hit : result.hits()) {
        out.printf("%s %.3f %s%n", hit.id(), hit.score(), hit.text());
      }
    }
    // --8<-- [end:text]
  }
}
