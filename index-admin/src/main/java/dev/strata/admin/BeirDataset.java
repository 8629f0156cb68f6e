package dev.strata.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval dataset in the BEIR layout: {@code corpus.jsonl} ({@code _id}, {@code title},
 * {@code text}), {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/SPLIT.tsv}
 * ({@code query-id, corpus-id, score} with a header line). Only the queries that have judgements in
 * the split are kept, as BEIR and MTEB evaluate.
 *
 * @param name the directory's name
 * @param documents the corpus in file order
 * @param queries query id to text, for the judged queries, in file order
 * @param qrels query id to (document id to graded relevance)
 */
record BeirDataset(
    String name, List<Document> documents, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

  /** One corpus entry; {@link #text()} is what gets embedded and indexed. */
  record Document(String id, String title, String body) {
    /** As MTEB builds it: title and text joined by one space, trimmed. */
    String text() {
      return (title + " " + body).strip();
    }
  }

  static BeirDataset load(Path dir, String split) throws IOException {
    Path corpus = require(dir.resolve("corpus.jsonl"));
    Path queriesFile = require(dir.resolve("queries.jsonl"));
    Path qrelsFile = require(dir.resolve("qrels").resolve(split + ".tsv"));
    Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);

    List<Document> documents = new ArrayList<>();
    forEachJsonLine(corpus, (line, node) -> documents.add(new Document(
        requireText(node, "_id", corpus, line), node.path("title").asText(""), requireText(node, "text", corpus, line))));
    Map<String, String> queries = new LinkedHashMap<>();
    forEachJsonLine(queriesFile, (line, node) -> {
      String id = requireText(node, "_id", queriesFile, line);
      if (qrels.containsKey(id)) {
        queries.put(id, requireText(node, "text", queriesFile, line));
      }
    });
    if (queries.size() != qrels.size()) {
      List<String> missing = qrels.keySet().stream().filter(id -> !queries.containsKey(id)).limit(5).toList();
      throw new IllegalArgumentException(
          qrelsFile + " judges " + qrels.size() + " queries but " + queriesFile + " has only " + queries.size()
              + " of them; missing for example " + missing);
    }
    String name = dir.toAbsolutePath().normalize().getFileName().toString();
    return new BeirDataset(name, documents, queries, qrels);
  }

  private static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip(); // BEIR's files have CRLF line endings
      if (line.isEmpty() || (i == 0 && line.startsWith("query-id"))) {
        continue;
      }
      String[] cells = line.split("\t");
      if (cells.length != 3) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected query-id, corpus-id, score separated by tabs, got '" + line + "'");
      }
      int grade;
      try {
        grade = Integer.parseInt(cells[2].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": score '" + cells[2] + "' is not an integer", e);
      }
      qrels.computeIfAbsent(cells[0].strip(), q -> new HashMap<>()).put(cells[1].strip(), grade);
    }
    if (qrels.isEmpty()) {
      throw new IllegalArgumentException(file + " has no judgements");
    }
    return qrels;
  }

  private interface LineConsumer {
    void accept(long line, JsonNode node);
  }

  private static void forEachJsonLine(Path file, LineConsumer consumer) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(file + " line " + number + ": not JSON: " + e.getOriginalMessage(), e);
        }
        consumer.accept(number, node);
      }
    }
  }

  private static String requireText(JsonNode node, String field, Path file, long line) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.isNull()) {
      throw new IllegalArgumentException(file + " line " + line + ": missing \"" + field + "\"");
    }
    return value.asText();
  }

  private static Path require(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a BEIR dataset: " + file + " not found");
    }
    return file;
  }
}
