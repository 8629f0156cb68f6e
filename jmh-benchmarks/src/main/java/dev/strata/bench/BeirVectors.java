package dev.strata.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real embeddings for the ANN harness: a BEIR corpus ({@code title + " " + text}, as MTEB) as the
 * base and all its queries as held-out queries, embedded once with a shipped model and cached as
 * fvecs next to the harness's output, so later runs read them in a second.
 *
 * <p>With {@code passages > 0} the base is instead the corpus cut into that many passages, the way
 * a RAG service chunks documents: every title, every sentence, then windows of two and then three
 * consecutive sentences, in corpus order, until there are enough (SciFact gives up to about
 * 134,000). A corpus of 5,000 abstracts thus yields a 100,000-vector set of real text embedded by
 * the real model; overlapping windows make near neighbours, as overlapping chunks do in practice.
 */
final class BeirVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BeirVectors() {}

  record Vectors(String name, float[][] base, float[][] queries) {}

  static Vectors load(Path dir, String model, Path cacheDir, int passages) throws IOException {
    String name = dir.toAbsolutePath().normalize().getFileName() + "-" + model + (passages > 0 ? "-passages" + passages : "");
    Path baseFile = cacheDir.resolve(name + "-base.fvecs");
    Path queryFile = cacheDir.resolve(name + "-queries.fvecs");
    if (Files.isRegularFile(baseFile) && Files.isRegularFile(queryFile)) {
      return new Vectors(name, VectorFiles.readFvecs(baseFile), VectorFiles.readFvecs(queryFile));
    }
    List<String> corpus = passages > 0 ? passages(dir.resolve("corpus.jsonl"), passages) : texts(dir.resolve("corpus.jsonl"), true);
    List<String> queries = texts(dir.resolve("queries.jsonl"), false);
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.resolve(model))) {
      long start = System.nanoTime();
      float[][] base = embed(embedder, corpus);
      float[][] q = embed(embedder, queries);
      System.err.printf("embedded %d documents and %d queries with %s in %.0f s%n",
          base.length, q.length, embedder.fingerprint().shortForm(), (System.nanoTime() - start) / 1e9);
      Files.createDirectories(cacheDir);
      VectorFiles.writeFvecs(baseFile, base);
      VectorFiles.writeFvecs(queryFile, q);
      return new Vectors(name, base, q);
    }
  }

  /** Embeds in batches of similar length (less padding), returning vectors in the texts' order. */
  private static float[][] embed(OnnxEmbedder embedder, List<String> texts) {
    float[][] out = new float[texts.size()][];
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> texts.get(i).length()));
    for (int from = 0; from < texts.size(); from += 256) {
      List<String> batch = new ArrayList<>();
      for (int i = from; i < Math.min(texts.size(), from + 256); i++) {
        batch.add(texts.get(order[i]));
      }
      List<float[]> chunk = embedder.embed(batch);
      for (int i = 0; i < chunk.size(); i++) {
        out[order[from + i]] = chunk.get(i);
      }
      System.err.printf("\rembedding %d/%d", Math.min(texts.size(), from + 256), texts.size());
    }
    System.err.println();
    return out;
  }

  private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("(?<=[.!?])\\s+");

  /** Titles, sentences, then 2- and 3-sentence windows of the corpus, the first {@code limit}. */
  static List<String> passages(Path corpus, int limit) throws IOException {
    List<String> titles = new ArrayList<>();
    List<List<String>> documents = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        String title = node.path("title").asText("").strip();
        if (!title.isEmpty()) {
          titles.add(title);
        }
        List<String> sentences = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(node.path("text").asText("").strip())) {
          if (!sentence.isBlank()) {
            sentences.add(sentence.strip());
          }
        }
        documents.add(sentences);
      }
    }
    List<String> passages = new ArrayList<>(titles.subList(0, Math.min(limit, titles.size())));
    for (int window = 1; window <= 3 && passages.size() < limit; window++) {
      for (List<String> sentences : documents) {
        for (int i = 0; i + window <= sentences.size() && passages.size() < limit; i++) {
          passages.add(String.join(" ", sentences.subList(i, i + window)));
        }
      }
    }
    if (passages.size() < limit) {
      throw new IllegalArgumentException(corpus + " gives only " + passages.size() + " passages, fewer than " + limit);
    }
    return passages;
  }

  private static List<String> texts(Path file, boolean withTitle) throws IOException {
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        String text = node.path("text").asText("");
        texts.add(withTitle ? (node.path("title").asText("") + " " + text).strip() : text);
      }
    }
    return texts;
  }
}
