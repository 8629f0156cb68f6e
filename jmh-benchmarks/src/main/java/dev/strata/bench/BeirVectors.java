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
 */
final class BeirVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BeirVectors() {}

  record Vectors(String name, float[][] base, float[][] queries) {}

  static Vectors load(Path dir, String model, Path cacheDir) throws IOException {
    String name = dir.toAbsolutePath().normalize().getFileName() + "-" + model;
    Path baseFile = cacheDir.resolve(name + "-base.fvecs");
    Path queryFile = cacheDir.resolve(name + "-queries.fvecs");
    if (Files.isRegularFile(baseFile) && Files.isRegularFile(queryFile)) {
      return new Vectors(name, VectorFiles.readFvecs(baseFile), VectorFiles.readFvecs(queryFile));
    }
    List<String> corpus = texts(dir.resolve("corpus.jsonl"), true);
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

  private static float[][] embed(OnnxEmbedder embedder, List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += 256) {
      List<float[]> chunk = embedder.embed(texts.subList(from, Math.min(texts.size(), from + 256)));
      for (int i = 0; i < chunk.size(); i++) {
        out[from + i] = chunk.get(i);
      }
      System.err.printf("\rembedding %d/%d", Math.min(texts.size(), from + 256), texts.size());
    }
    System.err.println();
    return out;
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
