package dev.strata.bench;

import static dev.strata.bench.HarnessSupport.arg;
import static dev.strata.bench.HarnessSupport.max;
import static dev.strata.bench.HarnessSupport.median;
import static dev.strata.bench.HarnessSupport.min;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.strata.core.testing.Cosine;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.Device;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.EmbeddingSettings;
import dev.strata.embedder.OnnxEmbedder;
import dev.strata.embedder.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Texts per second of Strata's embedder against LangChain4j's in-process all-MiniLM-L6-v2
 * (quantized), on the same ONNX file, in one JVM, alternating within each round so machine drift
 * hits both alike. Also checks that the vectors agree.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jmh-benchmarks/target/benchmarks.jar \
 *   dev.strata.bench.EmbedderThroughputHarness [data=../shared/data/beir/scifact] [texts=1000] [passages=300] [rounds=5] [device=cpu]
 * </pre>
 *
 * <p>Short texts are SciFact queries (about 12-20 word pieces); passages are SciFact abstracts cut
 * to their first 120 words (about 200 word pieces). LangChain4j truncates at 128 word pieces (its
 * tokenizer.json says so), sentence-transformers and Strata at 256, so on passages the like-for-like
 * comparison (same tokens, same vectors) is Strata set to 128; Strata at its default 256 does more
 * work per passage and is shown beside it.
 */
public final class EmbedderThroughputHarness {
  public static void main(String[] args) throws IOException {
    Path data = Path.of(arg(args, "data", "../shared/data/beir/scifact"));
    int count = Integer.parseInt(arg(args, "texts", "1000"));
    int rounds = Integer.parseInt(arg(args, "rounds", "5"));
    Device device = Device.valueOf(arg(args, "device", "cpu").toUpperCase(Locale.ROOT));
    if (!Files.isDirectory(data)) {
      System.err.println("no data at " + data + " (see ../shared/data/README.md); pass data=DIR");
      System.exit(2);
    }
    List<String> shortTexts = field(data.resolve("queries.jsonl"), count, Integer.MAX_VALUE);
    List<String> passages = field(data.resolve("corpus.jsonl"), Integer.parseInt(arg(args, "passages", "300")), 120);

    AllMiniLmL6V2QuantizedEmbeddingModel langchain4j = new AllMiniLmL6V2QuantizedEmbeddingModel();
    try (OnnxEmbedder strata = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load(), EmbedderOptions.builder().device(device).build());
        OnnxEmbedder strata128 = OnnxEmbedder.create(
            DefaultModels.MINILM_L6_V2_Q.load().withSettings(new EmbeddingSettings(Pooling.MEAN, true, 128)),
            EmbedderOptions.builder().device(device).build());
        OnnxEmbedder strataFp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load(), EmbedderOptions.builder().device(device).build())) {
      System.out.printf(Locale.ROOT, "# %d texts per set, %d rounds, %d cores, Strata on %s%n", count, rounds,
          Runtime.getRuntime().availableProcessors(), strata.device());
      Function<List<String>, List<float[]>> lc4j =
          texts -> langchain4j.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(e -> e.vector()).toList();
      System.out.println("| texts | LangChain4j q (128 pieces) | Strata q, 128 pieces | Strata q, 256 (default) | Strata fp32, 256 | Strata q 128 / LangChain4j | min cosine, Strata q 128 vs LangChain4j |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (var set : List.of(List.of("short", shortTexts), List.of("passages", passages))) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) set.get(1);
        lc4j.apply(texts.subList(0, 50)); // warm-up
        strata128.embed(texts.subList(0, 50));
        strata.embed(texts.subList(0, 50));
        strataFp32.embed(texts.subList(0, 50));
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        double[] c = new double[rounds];
        double[] d = new double[rounds];
        double[] ratio = new double[rounds];
        List<float[]> theirs = null;
        List<float[]> ours = null;
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          theirs = lc4j.apply(texts);
          long t1 = System.nanoTime();
          ours = strata128.embed(texts);
          long t2 = System.nanoTime();
          strata.embed(texts);
          long t3 = System.nanoTime();
          strataFp32.embed(texts);
          long t4 = System.nanoTime();
          a[r] = texts.size() / ((t1 - t0) / 1e9);
          b[r] = texts.size() / ((t2 - t1) / 1e9);
          c[r] = texts.size() / ((t3 - t2) / 1e9);
          d[r] = texts.size() / ((t4 - t3) / 1e9);
          ratio[r] = b[r] / a[r];
        }
        double minCos = 1;
        for (int i = 0; i < texts.size(); i++) {
          minCos = Math.min(minCos, Cosine.of(theirs.get(i), ours.get(i)));
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2fx (%.2f-%.2f) | %.6f |%n",
            set.get(0), fmt(a), fmt(b), fmt(c), fmt(d), median(ratio), min(ratio), max(ratio), minCos);
      }
    }
  }

  private static String fmt(double[] v) {
    return String.format(Locale.ROOT, "%.0f/s (%.0f-%.0f)", median(v), min(v), max(v));
  }

  private static List<String> field(Path jsonl, int count, int maxWords) throws IOException {
    List<String> out = new ArrayList<>();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(jsonl)) {
      String text = mapper.readTree(line).get("text").asText();
      String[] words = text.split("\\s+");
      if (words.length > maxWords) {
        text = String.join(" ", Arrays.copyOf(words, maxWords));
      }
      if (!text.isBlank()) {
        out.add(text);
      }
      if (out.size() == count) {
        break;
      }
    }
    return out;
  }





}
