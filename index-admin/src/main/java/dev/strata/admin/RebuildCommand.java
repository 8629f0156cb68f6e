package dev.strata.admin;

import dev.strata.core.IndexSchema;
import dev.strata.core.VectorEncoding;
import dev.strata.core.promotion.PromotionGate;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    description = {
      "Build a new index from the records of SRC_DIR's current snapshot, verify it against the",
      "source (record count, and the record digest when vectors are copied), then repoint --alias.",
      "Vectors are copied as stored; with --model every stored text is embedded again with that",
      "model instead (the safe way to change models). SRC_DIR is only read."
    })
final class RebuildCommand implements Callable<Integer> {
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
        moved = IndexAlias.set(alias, out, snapshot, report.reembedded() && sameShape(before, report.schema()));
      } catch (RuntimeException e) {
        err.println("the rebuilt index " + out + " is complete and verified, but alias " + alias + " was not moved:");
        throw e;
      }
    }
    print(report, moved);
    return ExitCodes.OK;
  }

  private static boolean sameShape(IndexAlias alias, IndexSchema schema) {
    return alias == null || (alias.dimension() == schema.dimension() && alias.similarity() == schema.similarity());
  }

  private void print(IndexRebuilder.Report report, IndexAlias moved) {
    PrintWriter stdout = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", report.source().toString());
      m.put("sourceSnapshot", report.sourceSnapshot().id());
      m.put("out", report.target().toString());
      m.put("snapshot", Json.snapshot(report.snapshot()));
      m.put("reembedded", report.reembedded());
      m.put("verified", true);
      m.put("seconds", report.elapsed().toMillis() / 1000.0);
      m.put("alias", moved == null ? null : AliasCommand.json(moved));
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
