package dev.strata.admin;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorEncoding;
import dev.strata.core.VectorIndex;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create an empty index with a fixed schema.")
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--dim", required = true, description = "Vector dimension (1-1024).")
  int dimension;

  @Option(
      names = "--similarity",
      required = true,
      description = "cosine, dot_product, euclidean or max_inner_product.")
  String similarity;

  @Option(
      names = "--encoding",
      defaultValue = "float32",
      description = "float32, int8, int4 or binary (default: ${DEFAULT-VALUE}).")
  String encoding;

  @Option(
      names = "--hnsw-m",
      defaultValue = "" + IndexSchema.DEFAULT_HNSW_M,
      description = "Neighbours per graph node (default: ${DEFAULT-VALUE}).")
  int hnswM;

  @Option(
      names = "--hnsw-beam",
      defaultValue = "" + IndexSchema.DEFAULT_HNSW_BEAM_WIDTH,
      description = "Candidates while building the graph (default: ${DEFAULT-VALUE}).")
  int hnswBeam;

  @Option(
      names = "--normalize",
      description = "dot_product only: scale vectors to unit length instead of rejecting them.")
  boolean normalize;

  @Option(
      names = "--model-fingerprint",
      description = "Fingerprint of the embedding model the vectors come from.")
  String modelFingerprint;

  @Override
  public Integer call() {
    IndexSchema schema =
        IndexSchema.builder(dimension, Similarity.parse(similarity))
            .encoding(VectorEncoding.parse(encoding))
            .hnswM(hnswM)
            .hnswBeamWidth(hnswBeam)
            .normalize(normalize)
            .modelFingerprint(modelFingerprint)
            .build();
    SnapshotInfo snapshot;
    try (VectorIndex index = VectorIndex.create(dir.path, schema)) {
      snapshot = index.latestSnapshot();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("path", dir.path.toString());
      Json.schema(schema, doc);
      doc.put("snapshot", Json.snapshot(snapshot));
      Json.print(out, doc);
    } else {
      out.printf(
          "created index %s: %d-d %s %s, M=%d, beam=%d%n",
          dir.path,
          schema.dimension(),
          schema.similarity().externalName(),
          schema.encoding().externalName(),
          schema.hnswM(),
          schema.hnswBeamWidth());
    }
    return ExitCodes.OK;
  }
}
