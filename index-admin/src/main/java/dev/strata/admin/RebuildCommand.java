package dev.strata.admin;

import dev.strata.core.IndexSchema;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorEncoding;
import dev.strata.core.promotion.PromotionGate;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.LiveMigration;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rebuild}: the blue/green half of a rollout, from a source index to a new one. */
@Command(
    name = "rebuild",
    header = "Rebuild an index into a new one, verify it, and move an alias there.",
    description = {
      "Build a new index from the records of SRC_DIR's current snapshot, verify it against the",
      "source (record count, and the record digest when vectors are copied), then repoint --alias.",
      "Vectors are copied as stored; with --model every stored text is embedded again with that",
      "model instead (the safe way to change models). SRC_DIR is only read.",
      "When --alias names SRC_DIR, a service may be writing to it: after the bulk pass the",
      "rebuild catches up with what changed since, fences SRC_DIR's commits for a final",
      "catch-up (about a second), checks the new index holds exactly SRC_DIR's records, and",
      "moves the alias; writers that follow the alias move with it, others are refused."
    })
final class RebuildCommand implements Callable<Integer> {
  private static final Duration ALIAS_LOCK_WAIT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SRC_DIR", description = "The index to rebuild from.")
  Path source;

  @Option(names = "--out", required = true, paramLabel = "NEW_DIR", description = "Where the new index goes (must not exist).")
  Path out;

  @Option(names = "--encoding", description = "float32, int8, int4 or binary (default: the source's).")
  String encoding;

  @Option(names = "--hnsw-m", paramLabel = "M", description = "HNSW links per node (default: the source's).")
  Integer hnswM;

  @Option(names = "--hnsw-beam", paramLabel = "N", description = "HNSW construction beam width (default: the source's).")
  Integer hnswBeam;

  @Option(names = "--alias", paramLabel = "ALIASFILE",
      description = "Repoint this alias to the new index once it is verified.")
  Path alias;

  @Option(names = "--catch-up-until", paramLabel = "N", defaultValue = "1000",
      description = "With --alias naming SRC_DIR: catch-up rounds go on until one finds at most N changed records"
          + " (default: ${DEFAULT-VALUE}), then writes are fenced for the final one.")
  int smallEnough;

  @Option(names = "--max-catch-up-rounds", paramLabel = "N", defaultValue = "10",
      description = "With --alias naming SRC_DIR: at most N catch-up rounds before the fence (default: ${DEFAULT-VALUE}).")
  int maxRounds;

  @Option(names = "--fence-timeout-ms", paramLabel = "MS", defaultValue = "30000",
      description = "The longest the source's writes may be fenced; a final catch-up that would take longer gives up"
          + " and leaves the alias (default: ${DEFAULT-VALUE}).")
  long fenceTimeoutMillis;

  @Mixin ModelOptions model;

  @Mixin OutputFormat format;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    UnaryOperator<IndexSchema.Builder> changes = b -> {
      if (encoding != null) {
        b.encoding(VectorEncoding.parse(encoding));
      }
      if (hnswM != null) {
        b.hnswM(hnswM);
      }
      if (hnswBeam != null) {
        b.hnswBeamWidth(hnswBeam);
      }
      return b;
    };
    IndexAlias before = alias == null ? null : IndexAlias.readIfExists(alias);
    ProgressBar progress = new ProgressBar(err, "rebuilding", "rebuilt", "records", 0);
    if (before != null && before.index().equals(source.toAbsolutePath().normalize())) {
      return migrateLive(before, changes, progress); // writers of the source may be running: catch up, fence, switch
    }
    IndexRebuilder.Report report;
    if (model.given()) {
      try (OnnxEmbedder embedder = model.load()) {
        report = IndexRebuilder.reembed(source, out, embedder, changes, progress::update);
        if (alias != null) {
          // The alias guard is told the model change is deliberate (force, below), so the golden
          // set is checked here, where the new model's embedder can embed its texts again.
          try {
            PromotionGate.check(before == null ? null : before.index(), out, null, "repointing alias " + alias, embedder);
          } catch (RuntimeException e) {
            err.println("the rebuilt index " + out + " is complete and verified, but alias " + alias + " was not moved:");
            throw e;
          }
        }
      }
    } else {
      report = IndexRebuilder.copy(source, out, changes, progress::update);
    }
    progress.done("into " + out + (report.reembedded() ? " (re-embedded)" : ""));

    IndexAlias moved = null;
    if (alias != null) {
      // Keep the alias's habit: pinned stays pinned (to the new snapshot), latest stays latest.
      String snapshot = before != null && !before.followsLatest() ? Long.toString(report.snapshot().id()) : null;
      // A re-embedding changes the model on purpose: that is what the alias guard exists to stop
      // by accident, so only the shape is checked here (dimension and similarity).
      try {
        boolean force = report.reembedded() && sameShape(before, report.schema());
        // A compare-and-set on what the alias was when the rebuild started: a move made since by
        // another operator or rebuild is not undone.
        moved = before == null ? IndexAlias.set(alias, out, snapshot, force)
            : IndexAlias.compareAndSet(alias, before, out, snapshot, force, ALIAS_LOCK_WAIT);
      } catch (RuntimeException e) {
        err.println("the rebuilt index " + out + " is complete and verified, but alias " + alias + " was not moved:");
        throw e;
      }
    }
    print(report, moved);
    return ExitCodes.OK;
  }

  /**
   * The alias names the source, so a service may be writing to it: bulk pass, catch-up rounds, a
   * short write fence, the final catch-up, then the switch ({@link LiveMigration}).
   */
  private int migrateLive(IndexAlias before, UnaryOperator<IndexSchema.Builder> changes, ProgressBar progress) {
    PrintWriter err = spec.commandLine().getErr();
    LiveMigration.Options options = LiveMigration.Options.builder().smallEnough(smallEnough).maxRounds(maxRounds)
        .fenceTimeout(Duration.ofMillis(fenceTimeoutMillis)).build();
    LiveMigration.Report report;
    if (model.given()) {
      try (OnnxEmbedder embedder = model.load()) {
        // The alias guard is told the model change is deliberate, so the golden set is checked
        // here, where the new model's embedder can embed its texts again.
        report = LiveMigration.migrate(alias, out, embedder, changes, options, progress::update, () -> {
          try {
            PromotionGate.check(before.index(), out, null, "repointing alias " + alias, embedder);
          } catch (RuntimeException e) {
            err.println("the rebuilt index " + out + " is complete and verified, but alias " + alias + " was not moved:");
            throw e;
          }
        });
      }
    } else {
      report = LiveMigration.migrate(alias, out, null, changes, options, progress::update, () -> {});
    }
    progress.done("into " + out + (report.reembedded() ? " (re-embedded)" : ""));
    PrintWriter stdout = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> m = json(report.source(), report.bulkSnapshot().id(), report.target(), report.snapshot(),
          report.reembedded(), report.elapsed(), report.movedAlias());
      m.put("bulkRecords", report.bulkRecords());
      m.put("bulkSeconds", report.bulk().toMillis() / 1000.0);
      m.put("catchUpRounds", report.catchUpRounds());
      m.put("recordsCaughtUp", report.recordsCaughtUp());
      m.put("fenceSeconds", report.fenced().toNanos() / 1e9);
      m.put("sourceSnapshotAtFence", report.sourceAtFence().id());
      Json.print(stdout, m);
    } else {
      stdout.printf("rebuilt %d records of %s snapshot %d into %s in %.1f s, then caught up %d changed records in %d"
              + " rounds; writes to the source were fenced for %.3f s; %s holds exactly the records of source snapshot"
              + " %d (snapshot %d)%n",
          report.bulkRecords(), report.source(), report.bulkSnapshot().id(), report.target(),
          report.elapsed().toMillis() / 1000.0, report.recordsCaughtUp(), report.catchUpRounds(),
          report.fenced().toNanos() / 1e9, report.target(), report.sourceAtFence().id(), report.snapshot().id());
      AliasCommand.print(stdout, report.movedAlias());
    }
    return ExitCodes.OK;
  }

  /** The fields every rebuild's {@code --json} has (a live migration adds its own after them). */
  private static Map<String, Object> json(Path source, long sourceSnapshot, Path out, SnapshotInfo snapshot,
      boolean reembedded, Duration elapsed, IndexAlias moved) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source.toString());
    m.put("sourceSnapshot", sourceSnapshot);
    m.put("out", out.toString());
    m.put("snapshot", Json.snapshot(snapshot));
    m.put("reembedded", reembedded);
    m.put("verified", true);
    m.put("seconds", elapsed.toMillis() / 1000.0);
    m.put("alias", moved == null ? null : AliasCommand.json(moved));
    return m;
  }

  private static boolean sameShape(IndexAlias alias, IndexSchema schema) {
    return alias == null || (alias.dimension() == schema.dimension() && alias.similarity() == schema.similarity());
  }

  private void print(IndexRebuilder.Report report, IndexAlias moved) {
    PrintWriter stdout = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> m = json(report.source(), report.sourceSnapshot().id(), report.target(), report.snapshot(),
          report.reembedded(), report.elapsed(), moved);
      Json.print(stdout, m);
      return;
    }
    stdout.printf("rebuilt %d records of %s snapshot %d into %s snapshot %d in %.1f s; verified: %s%n",
        report.snapshot().liveCount(), report.source(), report.sourceSnapshot().id(), report.target(),
        report.snapshot().id(), report.elapsed().toMillis() / 1000.0,
        report.reembedded() ? "same record count" : "same record count and record digest " + report.snapshot().recordDigest());
    if (moved != null) {
      AliasCommand.print(stdout, moved);
    }
  }
}
