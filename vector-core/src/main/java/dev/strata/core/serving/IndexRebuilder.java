package dev.strata.core.serving;

import dev.strata.core.Embedder;
import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.StrataException;
import dev.strata.core.VectorSource;
import dev.strata.core.index.IndexEngines;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.internal.io.FileTrees;
import dev.strata.core.snapshot.SnapshotView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Builds a new index from the records of another's current snapshot: the blue half of a blue/green
 * rollout. {@link #copy} keeps the vectors bit for bit (to change encoding or HNSW parameters, or
 * to leave behind a fragmented history); {@link #reembed} embeds every stored text again with
 * another model. Either way the source is only read, the new index is checked against it before
 * the call returns, and a build that fails part way removes what it wrote.
 *
 * <p>The new index is written with deferred graphs and merged into one segment at the end, so its
 * HNSW graph is built once, in that merge, the fastest way Lucene builds one
 * ({@link IndexOptions#deferGraphs}); it is searched as one graph from its first snapshot on.
 */
public final class IndexRebuilder {
  private static final int BATCH = 1_000;
  /** Segments as flushed, no merge before the final one, which builds the only graph. */
  private static final IndexOptions BUILD_OPTIONS =
      IndexOptions.builder().deferGraphs(true).backgroundMerges(false).build();

  /** Told how far a rebuild got; called after every batch, from the rebuilding thread. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    /** Called after each batch: {@code done} of {@code total} records copied. */
    void copied(long done, long total);
  }

  /**
   * What a rebuild produced.
   *
   * @param sourceSnapshot the source snapshot whose records were read
   * @param snapshot the new index's snapshot holding them
   * @param reembedded whether vectors were made again by another model
   */
  public record Report(
      Path source, SnapshotInfo sourceSnapshot, Path target, SnapshotInfo snapshot, IndexSchema schema,
      boolean reembedded, Duration elapsed) {}

  private IndexRebuilder() {}

  /**
   * Copies {@code source}'s records, vectors as stored, into a new index at {@code target} whose
   * schema is the source's as changed by {@code schemaChanges} (encoding, HNSW parameters; the
   * dimension, similarity and model stay). Verified: same live count and same record digest.
   */
  public static Report copy(Path source, Path target, UnaryOperator<IndexSchema.Builder> schemaChanges, Progress progress) {
    return run(source, target, schemaChanges, null, progress);
  }

  /**
   * Embeds the stored text of every record of {@code source} with {@code embedder} into a new
   * index at {@code target}, built for that embedder's model: the safe way to change models.
   * Verified: same live count and same ids. Every record must have text.
   */
  public static Report reembed(
      Path source, Path target, Embedder embedder, UnaryOperator<IndexSchema.Builder> schemaChanges, Progress progress) {
    return run(source, target, schemaChanges, Objects.requireNonNull(embedder, "embedder"), progress);
  }

  private static Report run(
      Path source, Path target, UnaryOperator<IndexSchema.Builder> schemaChanges, Embedder embedder, Progress progress) {
    long start = System.nanoTime();
    requireDistinct(source, target);
    try (SearcherHandle handle = SearcherHandle.open(source);
        SnapshotView view = handle.acquire()) {
      Built built = build(view, target, schemaChanges, embedder, progress);
      return new Report(source, view.snapshot(), target, built.snapshot(), built.schema(), embedder != null,
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  static void requireDistinct(Path source, Path target) {
    if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("rebuild target " + target + " is the source itself");
    }
  }

  /** The new index's schema and the snapshot that holds the records of the source's. */
  record Built(IndexSchema schema, SnapshotInfo snapshot) {}

  /**
   * Builds {@code target} from {@code view}'s records, verifies it against them and closes it;
   * removes it again if the build fails (a mismatch is left for inspection).
   */
  static Built build(
      SnapshotView view, Path target, UnaryOperator<IndexSchema.Builder> schemaChanges, Embedder embedder, Progress progress) {
    IndexSchema sourceSchema = view.schema();
    IndexSchema.Builder base = embedder == null
        ? sourceSchema.toBuilder()
        : IndexSchema.builder(embedder.dimension(), sourceSchema.similarity())
            .encoding(sourceSchema.encoding())
            .hnswM(sourceSchema.hnswM())
            .hnswBeamWidth(sourceSchema.hnswBeamWidth())
            .normalize(sourceSchema.normalize())
            .modelFingerprint(embedder.fingerprint().encoded());
    // A rebuild writes every text again, so the new index always has full-text search.
    IndexSchema schema = schemaChanges.apply(base.fullText(true)).build();
    checkKept(sourceSchema, schema, embedder != null);
    SnapshotInfo from = view.snapshot();
    boolean created = false;
    try (VectorIndex out = VectorIndex.create(target, schema, BUILD_OPTIONS)) {
      created = true;
      SnapshotInfo built = fill(view, out, embedder, progress);
      check(from, built, embedder != null, target);
      return new Built(schema, built);
    } catch (RuntimeException e) {
      if (created && !(e instanceof RebuildMismatchException)) {
        deleteQuietly(target, e);
      }
      throw e;
    }
  }

  /**
   * Buffers {@code records} into the new index {@code out}: vectors kept bit for bit, or every
   * text embedded again with {@code embedder}.
   */
  static void write(VectorIndex out, List<Record> records, Embedder embedder, Path source) {
    if (embedder == null) {
      IndexEngines.of(out).ingest(records, VectorSource.UNSTATED, null, true); // vectors kept bit for bit
      return;
    }
    for (Record r : records) {
      if (r.text() == null) {
        throw new IllegalArgumentException("record '" + r.id() + "' of " + source + " has no text to re-embed");
      }
    }
    List<float[]> vectors = embedder.embed(records.stream().map(Record::text).toList());
    List<Record> embedded = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      embedded.add(new Record(r.id(), vectors.get(i), r.text(), r.metadata(), r.source()));
    }
    out.upsertAll(embedded, VectorSource.model(embedder.fingerprint()));
  }

  private static SnapshotInfo fill(SnapshotView view, VectorIndex out, Embedder embedder, Progress progress) {
    SnapshotInfo from = view.snapshot();
    long total = from.liveCount();
    List<Record> batch = new ArrayList<>(BATCH);
    long[] done = {0};
    Runnable flush = () -> {
      write(out, batch, embedder, view.indexPath());
      done[0] += batch.size();
      batch.clear();
      progress.copied(done[0], total);
    };
    view.forEachRecord(record -> {
      if (embedder != null && record.text() == null) {
        throw new IllegalArgumentException(
            "record '" + record.id() + "' of " + view.indexPath() + " has no text to re-embed");
      }
      batch.add(record);
      if (batch.size() == BATCH) {
        flush.run();
      }
    });
    if (!batch.isEmpty()) {
      flush.run();
    }
    IndexEngines.of(out).merges().force(false, 1, Double.POSITIVE_INFINITY);
    String what = embedder == null ? "rebuild" : "re-embedding with " + embedder.fingerprint().shortForm();
    return out.commit(what + " of " + view.indexPath().getFileName() + " snapshot " + from.id(), from.sourceSha256());
  }

  /** The dimension, similarity and model of a copy are the source's: its vectors are reused. */
  private static void checkKept(IndexSchema source, IndexSchema rebuilt, boolean reembedded) {
    // A re-embedding may change the dimension (the new model's); the similarity stays either way.
    List<String> differences = IndexSchema.shapeDifferences(
        reembedded ? rebuilt.dimension() : source.dimension(), source.similarity(), rebuilt.dimension(), rebuilt.similarity());
    if (!reembedded && !Objects.equals(source.modelFingerprint(), rebuilt.modelFingerprint())) {
      differences.add("modelFingerprint: a copy keeps the source's vectors, so it keeps its model (re-embed to change it)");
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("rebuild cannot change: " + String.join("; ", differences));
    }
  }

  private static void check(SnapshotInfo from, SnapshotInfo built, boolean reembedded, Path target) {
    if (built.liveCount() != from.liveCount()) {
      throw new RebuildMismatchException(target, "holds " + built.liveCount() + " records, the source " + from.liveCount());
    }
    if (!reembedded && !built.recordDigest().equals(from.recordDigest())) {
      throw new RebuildMismatchException(target,
          "record digest " + built.recordDigest() + " differs from the source's " + from.recordDigest());
    }
  }

  /** The rebuilt index disagrees with its source; it is left in place for inspection. */
  public static final class RebuildMismatchException extends StrataException {
    RebuildMismatchException(Path target, String what) {
      super("rebuilt index " + target + " " + what + "; it was left for inspection and no alias was moved");
    }
  }

  private static void deleteQuietly(Path dir, RuntimeException primary) {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException | UncheckedIOException e) {
      primary.addSuppressed(e);
    }
  }
}
