package dev.strata.examples;

import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A model change rolled out blue/green: a service answers from an alias; the operator re-embeds the
 * index with a new model into a second index, repoints the alias, and the service moves over on
 * its next refresh, query embedder included, without a failed or mixed query. The README shows
 * the marked part.
 */
public final class BlueGreenRollout {
  private BlueGreenRollout() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("strata-bluegreen");
    run(dir, System.out);
  }

  public static void run(Path dir, PrintStream out) {
    Path blue = dir.resolve("docs-blue");
    Path green = dir.resolve("docs-green");
    Path alias = dir.resolve("docs.alias");
    try (OnnxEmbedder quantized = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
        OnnxEmbedder fp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load())) {
      try (VectorIndex index = VectorIndex.create(blue, IndexSchema.forEmbedder(quantized).build())) {
        TextIndex.of(index, quantized).upsertAll(List.of(
            TextRecord.of("rollback", "Roll an index back to yesterday's snapshot in milliseconds."),
            TextRecord.of("compaction", "Compaction merges segments and drops deleted records."),
            TextRecord.of("bread", "Sourdough rises slowly with a wild yeast starter.")));
        index.commit("first load");
      }
      IndexAlias.set(alias, blue, null, false);

      serve(alias, blue, green, quantized, fp32, out);
    }
  }

  /** The service side, and the operator's two steps in between. */
  static void serve(Path alias, Path blue, Path green, OnnxEmbedder quantized, OnnxEmbedder fp32, PrintStream out) {
    // --8<-- [start:serve]
    try (SearcherHandle handle = SearcherHandle.openAlias(alias, quantized)) {
      answer(handle, "how do I undo yesterday's bad ingest?", out);

      // The operator re-embeds every stored text with the new model, verified against the source...
      IndexRebuilder.reembed(blue, green, fp32, UnaryOperator.identity(), IndexRebuilder.Progress.NONE);
      // ...and repoints the alias: a model change, so it must say so (force).
      IndexAlias.set(alias, green, null, true);

      // The service follows on refresh; without fp32's embedder it would refuse and keep blue.
      handle.refresh(fp32);
      answer(handle, "how do I undo yesterday's bad ingest?", out);
    }
    // --8<-- [end:serve]
  }

  private static void answer(SearcherHandle handle, String question, PrintStream out) {
    try (SnapshotView view = handle.acquire()) {
      Hit best = view.search(question, 1, null).hits().get(0);
      out.printf("%s (%s): %s %.3f%n", view.indexPath().getFileName(),
          view.embedder().orElseThrow().fingerprint().name(), best.id(), best.score());
    }
  }
}
