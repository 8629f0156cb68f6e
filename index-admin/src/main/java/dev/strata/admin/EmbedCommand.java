package dev.strata.admin;

import dev.strata.core.TextRecord;
import dev.strata.embedder.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "embed",
    description = {
      "Embed text records into vector records, JSONL to JSONL, with a progress bar on stderr.",
      "Input lines: {\"id\", \"text\", \"metadata\"?}; output lines add \"vector\", ready for ingest."
    })
final class EmbedCommand implements Callable<Integer> {
  private static final int BATCH = 256;

  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSONL text records.")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL vector records to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    InputFiles.requireRegularFile(input, "input file");
    OutputPaths.distinct(out, "--out", input, "--input");
    long total;
    try (var lines = Files.lines(input, StandardCharsets.UTF_8)) {
      total = lines.filter(l -> !l.isBlank()).count();
    }
    JsonRecordParser parser = new JsonRecordParser();
    ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), "embedding", "embedded", "texts", total);
    long lineNumber = 0;
    long malformed = 0;
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    try (OnnxEmbedder embedder = modelOptions.load();
        BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter writer = new BufferedWriter(new java.io.OutputStreamWriter(
            dev.strata.core.OwnerOnlyFiles.newOutputStream(partial), StandardCharsets.UTF_8))) {
      List<TextRecord> batch = new ArrayList<>(BATCH);
      for (String line = reader.readLine(); ; line = reader.readLine()) {
        if (line != null && !line.isBlank()) {
          lineNumber++;
          try {
            batch.add(parser.parseText(line));
          } catch (JsonRecordParser.MalformedRecordException e) {
            spec.commandLine().getErr().printf("%nline %d skipped: %s%n", lineNumber, e.getMessage());
            malformed++;
          }
        }
        if (batch.size() == BATCH || (line == null && !batch.isEmpty())) {
          List<float[]> vectors = embedder.embed(batch.stream().map(TextRecord::text).toList());
          for (int i = 0; i < batch.size(); i++) {
            writer.write(Json.MAPPER.writeValueAsString(vectorRecord(batch.get(i), vectors.get(i))));
            writer.newLine();
          }
          progress.advance(batch.size());
          batch.clear();
        }
        if (line == null) {
          break;
        }
      }
      progress.done("with " + embedder.fingerprint().encoded());
    }
    // Only a complete file takes the output's name: a crash leaves just the .partial.
    Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    spec.commandLine().getOut().printf("embedded %d records into %s (%d lines skipped)%n", lineNumber - malformed, out, malformed);
    return malformed == 0 ? ExitCodes.OK : ExitCodes.REJECTED;
  }

  private static Map<String, Object> vectorRecord(TextRecord record, float[] vector) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", record.id());
    m.put("vector", vector);
    m.put("text", record.text());
    if (!record.metadata().isEmpty()) {
      m.put("metadata", record.metadata());
    }
    return m;
  }
}
