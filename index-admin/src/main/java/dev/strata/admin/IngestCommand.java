package dev.strata.admin;

import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.embedder.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Upsert records from a JSONL file and commit them as one snapshot.",
      "Each line: {\"id\": \"...\", \"vector\": [...], \"text\": \"...\", \"metadata\": {...}};",
      "with --embed: {\"id\": \"...\", \"text\": \"...\", \"metadata\": {...}}, embedded with --model.",
      "Invalid lines are reported, one JSON object each, and the rest still go in."
    })
final class IngestCommand implements Callable<Integer> {
  private static final int EMBED_BATCH = 256;

  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSONL records.")
  Path input;

  @Option(
      names = "--rejects",
      paramLabel = "FILE",
      description =
          "Where to write rejected lines as JSON ({\"line\", \"id\", \"reason\", \"rule\"}); default:"
              + " stderr.")
  Path rejects;

  @Option(names = "--message", description = "Snapshot message (default: ingest FILE).")
  String message;

  @Option(names = "--embed", description = "Lines carry text, not vectors: embed them with --model (default: default).")
  boolean embed;

  @Mixin ModelOptions modelOptions;
  @Mixin RawVectorSource rawSource;

  @Option(
      names = "--max-text-bytes",
      defaultValue = "1048576",
      description = "Largest text a record may carry, in UTF-8 bytes (default: ${DEFAULT-VALUE}).")
  int maxTextBytes;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("input file not found: " + input);
    }
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    Counts counts;
    SnapshotInfo snapshot = null;
    try (VectorIndex index =
            VectorIndex.open(
                dir.path, dev.strata.core.IndexOptions.DEFAULTS.withMaxTextBytes(maxTextBytes));
        RejectsWriter rejectsOut = openRejects()) {
      counts = embed ? ingestTexts(index, rejectsOut) : ingest(index, rejectsOut, rawSource.source());
      if (counts.accepted > 0) {
        snapshot = index.commit(message != null ? message : "ingest " + input.getFileName(), sha256(input));
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    report(out, counts, snapshot, seconds);
    return counts.rejected == 0 ? ExitCodes.OK : ExitCodes.REJECTED;
  }

  /** The input's SHA-256, recorded in the snapshot so it can be traced to its dataset. */
  private static String sha256(Path file) throws IOException {
    try (var in = new java.security.DigestInputStream(Files.newInputStream(file), java.security.MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return java.util.HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private record Counts(long lines, long accepted, long rejected) {}

  private Counts ingest(VectorIndex index, RejectsWriter rejectsOut, VectorSource source) throws IOException {
    if (modelOptions.given()) {
      throw new IllegalArgumentException("--model needs --embed (raw vectors take --model-fingerprint)");
    }
    JsonRecordParser parser = new JsonRecordParser();
    long lineNumber = 0;
    long accepted = 0;
    long rejected = 0;
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          Record record = parser.parse(line);
          index.upsertAll(List.of(record), source);
          accepted++;
        } catch (JsonRecordParser.MalformedRecordException e) {
          rejectsOut.write(lineNumber, e.id, e.getMessage(), "MALFORMED");
          rejected++;
        } catch (RecordValidationException e) {
          rejectsOut.write(lineNumber, e.recordId(), e.field() + ": " + e.detail(), e.rule().name());
          rejected++;
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException(
          "input file " + input + " is not UTF-8 (after line " + lineNumber + ")", e);
    }
    return new Counts(lineNumber, accepted, rejected);
  }

  /** A parsed line waiting for its vector. */
  private record PendingText(long line, TextRecord record) {}

  /** Lines are embedded in batches (the embedder sorts and pads them well), then validated one by one. */
  private Counts ingestTexts(VectorIndex index, RejectsWriter rejectsOut) throws IOException {
    JsonRecordParser parser = new JsonRecordParser();
    long lineNumber = 0;
    long accepted = 0;
    long rejected = 0;
    try (OnnxEmbedder embedder = modelOptions.load();
        BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      TextIndex.of(index, embedder); // refuses another model before any work is done
      VectorSource source = VectorSource.model(embedder.fingerprint());
      List<PendingText> pending = new ArrayList<>();
      for (String line = reader.readLine(); ; line = reader.readLine()) {
        if (line != null) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          try {
            pending.add(new PendingText(lineNumber, parser.parseText(line)));
          } catch (JsonRecordParser.MalformedRecordException e) {
            rejectsOut.write(lineNumber, e.id, e.getMessage(), "MALFORMED");
            rejected++;
          }
        }
        if (pending.size() == EMBED_BATCH || (line == null && !pending.isEmpty())) {
          List<float[]> vectors = embedder.embed(pending.stream().map(p -> p.record().text()).toList());
          for (int i = 0; i < pending.size(); i++) {
            TextRecord r = pending.get(i).record();
            try {
              index.upsertAll(List.of(new Record(r.id(), vectors.get(i), r.text(), r.metadata())), source);
              accepted++;
            } catch (RecordValidationException e) {
              rejectsOut.write(pending.get(i).line(), e.recordId(), e.field() + ": " + e.detail(), e.rule().name());
              rejected++;
            }
          }
          pending.clear();
        }
        if (line == null) {
          break;
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException("input file " + input + " is not UTF-8 (after line " + lineNumber + ")", e);
    }
    return new Counts(lineNumber, accepted, rejected);
  }

  private void report(PrintWriter out, Counts counts, SnapshotInfo snapshot, double seconds) {
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("lines", counts.lines);
      doc.put("accepted", counts.accepted);
      doc.put("rejected", counts.rejected);
      doc.put("rejectsFile", rejects == null ? null : rejects.toString());
      doc.put("snapshot", snapshot == null ? null : Json.snapshot(snapshot));
      doc.put("seconds", seconds);
      Json.print(out, doc);
      return;
    }
    out.printf(
        "ingested %d records, rejected %d%s; %s (%.1f s, %.0f records/s)%n",
        counts.accepted,
        counts.rejected,
        counts.rejected > 0 ? " (see " + (rejects == null ? "stderr" : rejects) + ")" : "",
        snapshot == null ? "nothing committed" : "snapshot " + snapshot.id() + ", " + snapshot.liveCount() + " live records",
        seconds,
        counts.accepted / Math.max(seconds, 1e-9));
  }

  private RejectsWriter openRejects() throws IOException {
    if (rejects == null) {
      return new RejectsWriter(spec.commandLine().getErr(), false);
    }
    try {
      return new RejectsWriter(
          new PrintWriter(Files.newBufferedWriter(rejects, StandardCharsets.UTF_8)), true);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot write rejects file " + rejects + ": no such directory");
    }
  }

  /** One JSON object per rejected line. */
  private static final class RejectsWriter implements AutoCloseable {
    private final PrintWriter out;
    private final boolean owned;

    RejectsWriter(PrintWriter out, boolean owned) {
      this.out = out;
      this.owned = owned;
    }

    void write(long line, String id, String reason, String rule) {
      Map<String, Object> reject = new LinkedHashMap<>();
      reject.put("line", line);
      if (id != null) {
        reject.put("id", id);
      }
      reject.put("reason", reason);
      reject.put("rule", rule);
      Json.print(out, reject);
      if (out.checkError()) {
        throw new UncheckedIOException(new IOException("cannot write rejects"));
      }
    }

    @Override
    public void close() {
      out.flush();
      if (owned) {
        out.close();
      }
    }
  }
}
