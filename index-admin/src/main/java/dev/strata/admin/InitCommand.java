package dev.strata.admin;

import dev.strata.core.IndexSchema;
import dev.strata.core.Similarity;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.VectorEncoding;
import dev.strata.core.index.VectorIndex;
import dev.strata.embedder.OnnxEmbedder;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    description = "Create an empty index with a fixed schema.")
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--dim", description = "Vector dimension (1-1024); taken from the model with --model.")
  Integer dimension;

  @Option(
      names = "--similarity",
      description = "cosine, dot_product, euclidean or max_inner_product (default with --model: cosine).")
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
      names = "--no-full-text",
      description = "Do not index record texts for BM25 and hybrid search (saves ingest time and disk).")
  boolean noFullText;

  @Option(
      names = "--model-fingerprint",
      description = "Fingerprint of the embedding model the vectors come from.")
  String modelFingerprint;

  /** With --model, dimension and fingerprint come from the model; without, both flags are needed. */
  private IndexSchema.Builder baseSchema() {
    if (modelOptions.given()) {
      if (modelFingerprint != null) {
        throw new IllegalArgumentException("--model sets the model fingerprint; do not give --model-fingerprint too");
      }
      try (OnnxEmbedder embedder = modelOptions.load()) {
        if (dimension != null && dimension != embedder.dimension()) {
          throw new IllegalArgumentException(
              "--dim " + dimension + " contradicts the model, which makes " + embedder.dimension() + "-d vectors");
        }
        return IndexSchema.builder(embedder.dimension(), similarity == null ? Similarity.COSINE : Similarity.parse(similarity))
            .modelFingerprint(embedder.fingerprint().encoded());
      }
    }
    if (dimension == null || similarity == null) {
      throw new IllegalArgumentException("give --dim and --similarity, or --model to take them from a model");
    }
    return IndexSchema.builder(dimension, Similarity.parse(similarity)).modelFingerprint(modelFingerprint);
  }

  @Override
  public Integer call() {
    IndexSchema schema =
        baseSchema()
            .encoding(VectorEncoding.parse(encoding))
            .hnswM(hnswM)
            .hnswBeamWidth(hnswBeam)
            .normalize(normalize)
            .fullText(!noFullText)
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
          "created index %s: %d-d %s %s, M=%d, beam=%d%s%n",
          dir.path,
          schema.dimension(),
          schema.similarity().externalName(),
          schema.encoding().externalName(),
          schema.hnswM(),
          schema.hnswBeamWidth(),
          schema.modelFingerprint() == null ? "" : ", model " + schema.modelFingerprint());
    }
    return ExitCodes.OK;
  }
}
