package dev.strata.admin;

import dev.strata.core.IndexOptions;
import dev.strata.core.IngestReport;
import dev.strata.core.Record;
import dev.strata.core.RecordValidationException;
import dev.strata.core.RejectListener;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.embedder.OnnxEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "ingest",
    description = {
      "Upsert records from a JSONL or CSV file and commit them as one snapshot.",
      "Each line: {\"id\": \"...\", \"vector\": [...], \"text\": \"...\", \"metadata\": {...}};",
      "with --embed: {\"id\": \"...\", \"text\": \"...\", \"metadata\": {...}}, embedded with --model.",
      "CSV: a header line naming id, vector, text and metadata columns, then one record per line.",
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

  @Option(names = "--source", paramLabel = "LABEL", description = "Source label of every record that does not give its"
      + " own (a JSONL \"source\"): kept with the record, shown with hits, counted by stats, and what delete --source"
      + " removes (default: the input file's name).")
  String source;

  @Option(names = "--embed", description = "Lines carry text, not vectors: embed them with --model (default: default).")
  boolean embed;

  @Mixin ModelOptions modelOptions;
  @Mixin RawVectorSource rawSource;

  @Option(
      names = "--max-text-bytes",
      defaultValue = "1048576",
      description = "Largest text a record may carry, in UTF-8 bytes (default: ${DEFAULT-VALUE}).")
  int maxTextBytes;

  @Option(
      names = "--skip-graph-build",
      description = "Commit a bulk load (" + IndexOptions.DEFAULT_BULK_LOAD_RECORDS + " records or more) without"
          + " building its HNSW graph first: its records are searched exhaustively (exact, slower) until the next"
          + " compaction, bulk load or writable open builds it. By default the graph is built before the commit,"
          + " so the load is one snapshot searched through its graph.")
  boolean skipGraphBuild;

  /** How the input file is laid out. */
  enum InputFormat { JSONL, CSV }

  @Option(
      names = "--format",
      completionCandidates = Choices.InputFormats.class,
      description = "One of ${COMPLETION-CANDIDATES} (default: csv for a .csv file, else jsonl). CSV: a header with id, vector"
          + " (floats separated by spaces or ';', or a JSON array), text, and metadata columns (name:number for numbers).")
  InputFormat inputFormat;

  @Option(
      names = "--max-line-bytes",
      defaultValue = "33554432",
      description = "Longest input line, in bytes; longer ones are rejected without being held in memory (default: ${DEFAULT-VALUE}).")
  int maxLineBytes;

  @Override
  public Integer call() throws IOException {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("--max-line-bytes must be >= 1, got " + maxLineBytes);
    }
    InputFiles.requireRegularFile(input, "input file");
    if (rejects != null) {
      OutputPaths.distinct(rejects, "--rejects", input, "--input");
    }
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    Tally counts;
    SnapshotInfo snapshot = null;
    GraphBuild graph = null;
    MessageDigest sha = sha256();
    try (VectorIndex index =
            VectorIndex.open(
                dir.path, IndexOptions.builder().maxTextBytes(maxTextBytes).build());
        RejectsWriter rejectsOut = openRejects();
        InputStream stream = new DigestInputStream(Files.newInputStream(input), sha)) {
      counts = new Tally(rejectsOut);
      InputLines reader = new InputLines(stream, maxLineBytes);
      RecordLineParser parser = parserFor(reader, counts);
      if (embed) {
        ingestTexts(index, reader, counts, parser);
      } else {
        ingest(index, reader, counts, rawSource.source(), parser);
      }
      rejectsOut.flush(); // the rejects are on disk before the commit they explain
      if (counts.accepted > 0) {
        String inputSha = HexFormat.of().formatHex(sha.digest());
        graph = skipGraphBuild ? null : GraphBuild.of(index);
        snapshot = index.commit(message != null ? message : "ingest " + input.getFileName(), inputSha);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    report(out, counts, snapshot, graph, seconds);
    return counts.rejected == 0 ? ExitCodes.OK : ExitCodes.REJECTED;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Lines read, records accepted, and rejects, each rejected line written as it is counted. */
  private static final class Tally {
    private final RejectsWriter rejects;
    long lines;
    long accepted;
    long rejected;

    Tally(RejectsWriter rejects) {
      this.rejects = rejects;
    }

    void reject(LineReject r) {
      rejects.write(r.line(), r.id(), r.reason(), r.rule());
      rejected++;
    }
  }

  /** One rejected input line: its number, the record's id where known, why, and the rule broken. */
  private record LineReject(long line, String id, String reason, String rule) {}

  /**
   * Parsed lines waiting to go into the index in one {@code ingest} call (records, or texts to
   * embed), with the lines rejected meanwhile; flushed in line order, so the rejects file lists
   * lines as they came.
   */
  private static final class LineBatch<T> implements RejectListener {
    static final int MAX_RECORDS = 1_000;
    private static final long MAX_CHARS = 64L << 20; // a few huge lines flush early

    private final int maxRecords;
    private final List<Long> lines = new ArrayList<>();
    private final List<T> pending = new ArrayList<>();
    private final List<LineReject> rejects = new ArrayList<>();
    private long chars;

    LineBatch(int maxRecords) {
      this.maxRecords = maxRecords;
    }

    void add(long line, T item, int lineChars) {
      lines.add(line);
      pending.add(item);
      chars += lineChars;
    }

    void malformed(long line, JsonRecordParser.MalformedRecordException e) {
      rejects.add(new LineReject(line, e.id, e.getMessage(), "MALFORMED"));
    }

    /** A line that could not even be read as text (not UTF-8, too long). */
    void unreadable(InputLines.Line line) {
      rejects.add(new LineReject(line.number(), null, line.error(), "MALFORMED"));
    }

    @Override
    public void rejected(int position, Record record, RecordValidationException reason) {
      rejects.add(new LineReject(
          lines.get(position), reason.recordId(), reason.field() + ": " + reason.detail(), reason.rule().name()));
    }

    boolean isFull() {
      return lines.size() >= maxRecords || rejects.size() >= MAX_RECORDS || chars >= MAX_CHARS;
    }

    /** Hands the pending items to {@code ingest}, which reports rejects to this batch, then writes the rejects in line order. */
    void flush(Tally counts, Function<List<T>, IngestReport> ingest) {
      if (!pending.isEmpty()) {
        counts.accepted += ingest.apply(pending).accepted();
      }
      rejects.sort(Comparator.comparingLong(LineReject::line));
      rejects.forEach(counts::reject);
      lines.clear();
      pending.clear();
      rejects.clear();
      chars = 0;
    }
  }

  /** JSONL's parser, or CSV's, built from the header line it reads first. */
  private RecordLineParser parserFor(InputLines reader, Tally counts) throws IOException {
    InputFormat chosen = inputFormat != null ? inputFormat
        : input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? InputFormat.CSV : InputFormat.JSONL;
    if (chosen == InputFormat.JSONL) {
      return new JsonRecordParser();
    }
    for (InputLines.Line header = reader.next(); header != null; header = reader.next()) {
      counts.lines++;
      if (header.error() != null) {
        throw new IllegalArgumentException("input file " + input + ": the CSV header (line " + header.number()
            + ") cannot be read: " + header.error());
      }
      if (!header.text().isBlank()) {
        return CsvRecordParser.forHeader(header.text());
      }
    }
    throw new IllegalArgumentException("input file " + input + " is empty: a CSV file starts with its header");
  }

  private void ingest(VectorIndex index, InputLines reader, Tally counts, VectorSource source, RecordLineParser parser)
      throws IOException {
    if (modelOptions.given()) {
      throw new IllegalArgumentException("--model needs --embed (raw vectors take --model-fingerprint)");
    }
    LineBatch<Record> batch = new LineBatch<>(LineBatch.MAX_RECORDS);
    String label = sourceLabel();
    readLines(reader, counts, batch, (line, text) -> batch.add(line, labelled(parser.parse(text), label), text.length()),
        () -> batch.flush(counts, records -> index.ingest(records, source, batch)));
  }

  /** Lines are embedded in batches (the embedder sorts and pads them well), each record then validated on its own. */
  private void ingestTexts(VectorIndex index, InputLines reader, Tally counts, RecordLineParser parser)
      throws IOException {
    try (OnnxEmbedder embedder = modelOptions.loadFor(index.schema())) {
      TextIndex texts = TextIndex.of(index, embedder); // refuses another model before any work is done
      LineBatch<TextRecord> batch = new LineBatch<>(EMBED_BATCH);
      String label = sourceLabel();
      readLines(reader, counts, batch, (line, text) -> batch.add(line, labelled(parser.parseText(text), label), text.length()),
          () -> batch.flush(counts, records -> texts.ingest(records, batch)));
    }
  }

  private String sourceLabel() {
    return source != null ? source : input.getFileName().toString();
  }

  private static Record labelled(Record record, String label) {
    return record.source() != null ? record : record.withSource(label);
  }

  private static TextRecord labelled(TextRecord record, String label) {
    return record.source() != null ? record : record.withSource(label);
  }

  /** Adds one non-blank line's record to the batch, or throws for a line that is not a record. */
  @FunctionalInterface
  private interface LineReader {
    void add(long line, String text) throws JsonRecordParser.MalformedRecordException;
  }

  /** Every line of the input into {@code batch}, which goes in by {@code flush} whenever it is full and at the end. */
  private static void readLines(InputLines reader, Tally counts, LineBatch<?> batch, LineReader lines, Runnable flush)
      throws IOException {
    for (InputLines.Line read = reader.next(); read != null; read = reader.next()) {
      long lineNumber = ++counts.lines;
      if (read.error() != null) {
        batch.unreadable(read);
      } else if (!read.text().isBlank()) {
        try {
          lines.add(lineNumber, read.text());
        } catch (JsonRecordParser.MalformedRecordException e) {
          batch.malformed(lineNumber, e);
        }
      }
      if (batch.isFull()) {
        flush.run();
      }
    }
    flush.run();
  }

  /** A bulk load's graph build, run before the commit: segments merged into one (0: none lacked a graph) and time. */
  record GraphBuild(int segmentsMerged, double seconds) {
    static GraphBuild of(VectorIndex index) {
      long start = System.nanoTime();
      int merged = index.buildGraphs();
      return new GraphBuild(merged, (System.nanoTime() - start) / 1e9);
    }
  }

  private void report(PrintWriter out, Tally counts, SnapshotInfo snapshot, GraphBuild graph, double seconds) {
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("lines", counts.lines);
      doc.put("accepted", counts.accepted);
      doc.put("rejected", counts.rejected);
      doc.put("rejectsFile", rejects == null ? null : rejects.toString());
      doc.put("snapshot", snapshot == null ? null : Json.snapshot(snapshot));
      Map<String, Object> built = null;
      if (graph != null && graph.segmentsMerged() > 0) {
        built = new LinkedHashMap<>();
        built.put("segmentsMerged", graph.segmentsMerged());
        built.put("seconds", graph.seconds());
      }
      doc.put("graphBuild", built);
      doc.put("seconds", seconds);
      Json.print(out, doc);
      return;
    }
    out.printf(
        "ingested %d records, rejected %d%s; %s%s (%.1f s, %.0f records/s)%n",
        counts.accepted,
        counts.rejected,
        counts.rejected > 0 ? " (see " + (rejects == null ? "stderr" : rejects) + ")" : "",
        snapshot == null ? "nothing committed" : "snapshot " + snapshot.id() + ", " + snapshot.liveCount() + " live records",
        graph == null || graph.segmentsMerged() == 0 ? ""
            : String.format(java.util.Locale.ROOT, ", HNSW graph built in %.1f s", graph.seconds()),
        seconds,
        counts.accepted / Math.max(seconds, 1e-9));
  }

  private RejectsWriter openRejects() {
    if (rejects == null) {
      return new RejectsWriter(spec.commandLine().getErr(), null);
    }
    try {
      return new RejectsWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(
          dev.strata.core.OwnerOnlyFiles.newOutputStream(rejects), StandardCharsets.UTF_8)), rejects); // it holds the texts
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot write rejects file " + rejects + ": no such directory");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write rejects file " + rejects + ": " + IoErrors.reason(e));
    }
  }

  /**
   * One JSON object per rejected line, to a file (whose write errors fail the ingest before
   * anything is committed: a reject nobody can read is a record lost in silence) or to stderr.
   */
  private static final class RejectsWriter implements AutoCloseable {
    private final java.io.Writer out;
    private final Path file; // null: stderr, which this does not own

    RejectsWriter(java.io.Writer out, Path file) {
      this.out = out;
      this.file = file;
    }

    void write(long line, String id, String reason, String rule) {
      Map<String, Object> reject = new LinkedHashMap<>();
      reject.put("line", line);
      if (id != null) {
        reject.put("id", id);
      }
      reject.put("reason", reason);
      reject.put("rule", rule);
      try {
        out.write(Json.MAPPER.writeValueAsString(reject));
        out.write(System.lineSeparator());
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** Every reject so far on disk; called before the commit that the rejects explain. */
    void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private RuntimeException failed(IOException e) {
      return IoErrors.failed("cannot write rejects " + (file == null ? "to stderr" : "file"), file, e);
    }

    @Override
    public void close() {
      flush();
      if (file != null) {
        try {
          out.close();
        } catch (IOException e) {
          throw failed(e);
        }
      }
    }
  }
}
