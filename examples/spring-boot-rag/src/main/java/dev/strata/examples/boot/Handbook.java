package dev.strata.examples.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.stereotype.Service;

/** Passages of an operations handbook in the vector store, and the context a question retrieves. */
@Service
public class Handbook {
  private static final String SOURCE = "handbook.md";

  private final VectorStore store;

  public Handbook(VectorStore store) {
    this.store = store;
  }

  /** Adds every paragraph of the handbook; ids come from content, so running it again adds nothing. */
  public int ingest() {
    List<Document> passages = Arrays.stream(read().split("\\n\\s*\\n"))
        .map(String::strip)
        .filter(p -> !p.isEmpty())
        .map(p -> new Document(p, Map.of("source", SOURCE)))
        .toList();
    store.add(passages);
    return passages.size();
  }

  /** The passages closest to {@code question}, best first. */
  public List<Document> retrieve(String question, int topK) {
    return store.similaritySearch(SearchRequest.builder().query(question).topK(topK).filterExpression("source == '" + SOURCE + "'").build());
  }

  /** The prompt a chat model would get: the question with its retrieved context. */
  public String prompt(String question) {
    String context = retrieve(question, 2).stream().map(d -> "- " + d.getText()).collect(Collectors.joining("\n"));
    return "Answer from the context only.\nContext:\n" + context + "\nQuestion: " + question;
  }

  private static String read() {
    try (InputStream in = Handbook.class.getClassLoader().getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SOURCE + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
