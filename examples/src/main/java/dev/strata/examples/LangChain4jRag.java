package dev.strata.examples;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.strata.langchain4j.StrataEmbeddingModel;
import dev.strata.langchain4j.StrataEmbeddingStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The retrieval half of a RAG service written against LangChain4j: load a real document, split it
 * with LangChain4j's recursive splitter, embed the segments in-process, keep them in a durable
 * Strata store, and find the passage that answers a question. By default it reads the Apache
 * License in this repository. The README shows the marked part.
 *
 * <p>Usage: {@code LangChain4jRag [TEXT_FILE] [INDEX_DIR] [QUESTION]}
 */
public final class LangChain4jRag {
  static final String DEFAULT_QUESTION = "What happens to my patent license if I sue someone over a patent?";

  private LangChain4jRag() {}

  public static void main(String[] args) throws Exception {
    Path text = Path.of(args.length > 0 ? args[0] : "LICENSE");
    Path indexDir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("strata-rag").resolve("index");
    String question = args.length > 2 ? args[2] : DEFAULT_QUESTION;
    run(text, indexDir, question, System.out);
  }

  public static List<EmbeddingMatch<TextSegment>> run(Path text, Path indexDir, String question, PrintStream out) {
    // --8<-- [start:rag]
    Document document = FileSystemDocumentLoader.loadDocument(text, new TextDocumentParser());
    List<TextSegment> segments = DocumentSplitters.recursive(500, 50).split(document);

    try (StrataEmbeddingModel model = StrataEmbeddingModel.defaultModel();
        StrataEmbeddingStore store = StrataEmbeddingStore.builder()
            .path(indexDir)          // a durable index: snapshots, rollback, index-admin
            .embeddingModel(model)   // its fingerprint guards every write and query
            .build()) {
      store.addAll(model.embedAll(segments).content(), segments); // one commit, one snapshot

      Embedding query = model.embed(question).content();
      List<EmbeddingMatch<TextSegment>> matches =
          store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(3).build()).matches();
      for (EmbeddingMatch<TextSegment> match : matches) {
        out.printf("%.3f %s%n", match.score(), match.embedded().text().replaceAll("\\s+", " "));
      }
      return matches;
    }
    // --8<-- [end:rag]
  }
}
