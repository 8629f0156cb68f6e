package dev.strata.examples;

import dev.strata.core.Embedder;
import dev.strata.core.Hit;
import dev.strata.core.IndexSchema;
import dev.strata.core.ModelFingerprint;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.monitor.BreakerMode;
import dev.strata.core.monitor.MonitorOptions;
import dev.strata.core.monitor.RetrievalDriftException;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.core.serving.SearcherHandle;
import dev.strata.core.snapshot.SnapshotView;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The incident Strata's drift monitor answers: a RAG service whose embedding path goes wrong in
 * production (here, a deploy that reads the model's output in the wrong layout: every vector's
 * halves swapped, so vectors look normal and mean nothing). The retrieval drift monitor sees the
 * hits' scores fall, opens the circuit breaker, and the service says it cannot answer instead of
 * generating from unrelated passages; when the embedding path is fixed, the breaker closes by
 * itself. The README shows the marked part.
 */
public final class GuardedRag {
  private static final String[] PASSAGES = {
    "Roll an index back to an earlier snapshot in milliseconds, without copying data.",
    "Compaction merges segments and drops the records that were deleted or replaced.",
    "An alias is a small file naming the index and snapshot that services search.",
    "The drift guard refuses vectors from a model other than the one the index was built with.",
    "Export writes a snapshot to one compressed archive with a checksum for every file.",
    "Import checks every file of an archive before the index changes.",
    "Hybrid search fuses vector hits with BM25 keyword hits using reciprocal rank fusion.",
    "Quantized encodings store vectors in fewer bits and re-score candidates in float32.",
    "Sourdough bread rises slowly with a wild yeast starter.",
    "A kettle boils water faster than a saucepan on most stoves.",
  };

  private static final String[] QUESTIONS = {
    "how do I undo a bad ingest?", "what removes deleted records from disk?", "how does a service find the live index?",
    "what stops mixing two embedding models?", "how do I back up an index?", "is a restored archive checked?",
    "can I combine keyword and vector search?", "how can vectors take less memory?", "how is sourdough made?",
    "what is the quickest way to boil water?",
  };

  private GuardedRag() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("strata-guarded-rag");
    run(dir, System.out);
  }

  /** Prints one line per question: the passage it would answer from, or why it will not. */
  public static void run(Path dir, PrintStream out) {
    Path path = dir.resolve("docs");
    try (OnnxEmbedder model = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
      try (VectorIndex index = VectorIndex.create(path, IndexSchema.forEmbedder(model).build())) {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < PASSAGES.length; i++) {
          records.add(TextRecord.of("p" + i, PASSAGES[i]));
        }
        TextIndex.of(index, model).upsertAll(records);
        index.commit("docs");
      }
      SwappableEmbedder embedding = new SwappableEmbedder(model);
      try (RetrievalMonitor monitor = monitor(out);
          SearcherHandle handle = SearcherHandle.open(path, null, embedding).monitor(monitor)) {
        ask(handle, 30, "healthy", out);
        embedding.breakLayout();
        ask(handle, 10, "broken", out);
        embedding.fix();
        ask(handle, 15, "fixed", out);
      }
    }
  }

  /** The monitor a service attaches to its handle (or to an index, with IndexOptions.withMonitor). */
  static RetrievalMonitor monitor(PrintStream out) {
    // --8<-- [start:guard]
    RetrievalMonitor monitor = RetrievalMonitor.create(MonitorOptions.builder()
        .baselineWindow(30).recentWindow(10) // defaults: 1,000 and 50, sized for real traffic
        .breaker(BreakerMode.FAIL_FAST)      // or FLAG_DEGRADED, or OFF (the default)
        .name("docs").build());
    monitor.addListener(event -> out.println("monitor: " + event.kind()));
    // --8<-- [end:guard]
    return monitor;
  }

  private static void ask(SearcherHandle handle, int count, String phase, PrintStream out) {
    for (int i = 0; i < count; i++) {
      String question = QUESTIONS[i % QUESTIONS.length];
      try (SnapshotView view = handle.acquire()) {
        Hit best = view.search(question, 3, null).hits().get(0);
        out.printf(Locale.ROOT, "%s: %s -> %s (%.3f)%n", phase, question, best.id(), best.score());
      } catch (RetrievalDriftException e) {
        out.printf(Locale.ROOT, "%s: %s -> cannot answer reliably now%n", phase, question);
      }
    }
  }

  /** The service's embedding path, which a bad deploy can break and a good one fix. */
  private static final class SwappableEmbedder implements Embedder {
    private final Embedder model;
    private volatile boolean broken;

    SwappableEmbedder(Embedder model) {
      this.model = model;
    }

    void breakLayout() {
      broken = true;
    }

    void fix() {
      broken = false;
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public ModelFingerprint fingerprint() {
      return model.fingerprint();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> vectors = model.embed(texts);
      if (!broken) {
        return vectors;
      }
      List<float[]> swapped = new ArrayList<>();
      for (float[] v : vectors) {
        float[] s = new float[v.length];
        int half = v.length / 2;
        System.arraycopy(v, half, s, 0, v.length - half);
        System.arraycopy(v, 0, s, v.length - half, half);
        swapped.add(s);
      }
      return swapped;
    }

    @Override
    public void close() {}
  }
}
