package dev.strata.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --queries FILE}: the query file of {@code golden capture} and {@code monitor} (see {@link QueryFile}). */
final class QueryFileOption {
  @Option(names = "--queries", required = true, paramLabel = "FILE",
      description = "JSONL: {\"id\", \"text\"} (embedded with the index's model) and/or {\"id\", \"vector\"}.")
  Path file;

  List<QueryFile.Query> read() throws IOException {
    return QueryFile.read(file);
  }
}
