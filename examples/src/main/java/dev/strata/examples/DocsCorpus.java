package dev.strata.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits Markdown files into passages for {@code index-admin ingest --embed}: one passage per
 * paragraph, list item or table, prefixed with its section heading so it reads on its own; code blocks
 * are skipped. {@code bin/demo} runs it over the project's own documentation.
 *
 * <p>Usage: {@code DocsCorpus OUT.jsonl FILE.md...}
 */
public final class DocsCorpus {
  /** Short fragments say little on their own: merge them with the next one. */
  static final int MIN_PASSAGE_CHARS = 160;

  private DocsCorpus() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: DocsCorpus OUT.jsonl FILE.md...");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      files.add(Path.of(args[i]));
    }
    int passages = write(Path.of(args[0]), files);
    System.out.printf("wrote %d passages from %d files to %s%n", passages, files.size(), args[0]);
  }

  public static int write(Path out, List<Path> markdownFiles) throws IOException {
    int count = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Path file : markdownFiles) {
        String name = file.getFileName().toString();
        int n = 0;
        for (Map.Entry<String, String> passage : passages(Files.readAllLines(file, StandardCharsets.UTF_8))) {
          w.write(json(name + "#" + (++n), passage.getKey() + ": " + passage.getValue(), name, passage.getKey()));
          w.newLine();
          count++;
        }
      }
    }
    return count;
  }

  /** (section heading, passage text) pairs in document order. */
  static List<Map.Entry<String, String>> passages(List<String> lines) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    String heading = "Introduction";
    StringBuilder current = new StringBuilder();
    boolean inCode = false;
    for (String line : lines) {
      if (line.startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      if (inCode) {
        continue;
      }
      if (line.startsWith("#")) {
        flush(out, heading, current, true);
        heading = line.replaceFirst("^#+\\s*", "").strip();
      } else if (line.isBlank()) {
        flush(out, heading, current, false);
      } else if (line.startsWith("- ") || line.startsWith("* ")) {
        flush(out, heading, current, false); // a list item says one thing: its own passage
        current.append(current.isEmpty() ? "" : " ").append(line.strip());
      } else {
        current.append(current.isEmpty() ? "" : " ").append(line.strip());
      }
    }
    flush(out, heading, current, true);
    return out;
  }

  private static void flush(List<Map.Entry<String, String>> out, String heading, StringBuilder current, boolean force) {
    if (current.isEmpty() || (!force && current.length() < MIN_PASSAGE_CHARS)) {
      return;
    }
    out.add(Map.entry(heading, current.toString()));
    current.setLength(0);
  }

  private static String json(String id, String text, String file, String section) {
    return "{\"id\":" + quote(id) + ",\"text\":" + quote(text) + ",\"metadata\":{\"file\":" + quote(file)
        + ",\"section\":" + quote(section) + "}}";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
