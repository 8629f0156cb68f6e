package dev.strata.admin;

import dev.strata.core.ModelFingerprint;
import dev.strata.core.index.VectorIndex;
import dev.strata.embedder.DefaultModels;
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
    name = "drift",
    description = {
      "Check whether a model is the one an index was built with.",
      "Exit 0 when the fingerprints match, 3 when they do not (both are printed)."
    })
final class DriftCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexDirectory dir;
  @Mixin OutputFormat format;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "default, default-fp32, or a model directory.")
  String model;

  @Override
  public Integer call() {
    String indexFingerprint;
    try (VectorIndex index = VectorIndex.open(dir.path, IndexDirectory.readOnlyOptions())) {
      indexFingerprint = index.schema().modelFingerprint();
    }
    // The fingerprint is a hash of the files and settings: no need to start ONNX Runtime.
    ModelFingerprint modelFingerprint = DefaultModels.resolve(model).fingerprint();
    boolean match = indexFingerprint != null && indexFingerprint.equals(modelFingerprint.encoded());
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("match", match);
      doc.put("indexFingerprint", indexFingerprint);
      doc.put("modelFingerprint", modelFingerprint.encoded());
      Json.print(out, doc);
    } else {
      out.printf("index: %s%n", indexFingerprint == null ? "(no model recorded)" : indexFingerprint);
      out.printf("model: %s%n", modelFingerprint.encoded());
      out.println(match ? "match: the model is the index's" : "DRIFT: this model's vectors must not go into or query this index");
    }
    return match ? ExitCodes.OK : ExitCodes.INDEX;
  }
}
