package dev.strata.examples;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.strata.langchain4j.StrataEmbeddingStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link LangChain4jRag} with the application's own LangChain4j embedding model instead of
 * Strata's: here LangChain4j's in-process MiniLM, in a service OpenAI's or Ollama's model, the same
 * way. The store needs only the model's name (the index records it and refuses another model) and
 * dimension; such a service needs neither {@code dev.strata:embedder} nor ONNX Runtime from Strata.
 *
 * <p>Usage: {@code LangChain4jOwnModelRag [TEXT_FILE] [INDEX_DIR] [QUESTION]}
 */
public final class LangChain4jOwnModelRag {
  private LangChain4jOwnModelRag() {}

  public static void main(String[] args) throws Exception {
    Path text = Path.of(args.length > 0 ? args[0] : "LICENSE");
    Path indexDir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("strata-rag").resolve("index");
    String question = args.length > 2 ? args[2] : LangChain4jRag.DEFAULT_QUESTION;
    run(text, indexDir, question, System.out);
  }

  public static List<EmbeddingMatch<TextSegment>> run(Path text, Path indexDir, String question, PrintStream out) {
    // --8<-- [start:own-model]
    EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel(); // or OpenAiEmbeddingModel, OllamaEmbeddingModel...
    Document document = FileSystemDocumentLoader.loadDocument(text, new TextDocumentParser());
    List<TextSegment> segments = DocumentSplitters.recursive(500, 50).split(document);

    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder()
        .path(indexDir)
        .embeddingModel(model)                   // dimension from the model
        .modelName("langchain4j-all-minilm-l6-v2-q") // the name the index records and checks
        .build()) {
      store.addAll(model.embedAll(segments).content(), segments);

      Embedding query = model.embed(question).content();
      List<EmbeddingMatch<TextSegment>> matches =
          store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(3).build()).matches();
      for (EmbeddingMatch<TextSegment> match : matches) {
        out.printf("%.3f %s%n", match.score(), match.embedded().text().replaceAll("\\s+", " "));
      }
      return matches;
    }
    // --8<-- [end:own-model]
  }
}
