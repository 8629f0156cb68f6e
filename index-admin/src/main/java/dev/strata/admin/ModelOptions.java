package dev.strata.admin;

import dev.strata.core.IndexSchema;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.Device;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.ModelBundle;
import dev.strata.embedder.OnnxEmbedder;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --device}: which embedding model to load and where to run it. */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "default (all-MiniLM-L6-v2, quantized), default-fp32, or a directory with model.onnx and tokenizer.json"
          + " (for an existing index: the shipped model it was built with, else default).")
  String model;

  @Option(
      names = "--device",
      defaultValue = "auto",
      completionCandidates = Choices.Devices.class,
      description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: CUDA when a GPU works, else CPU).")
  Device device;

  boolean given() {
    return model != null;
  }

  /**
   * Loads --model, or else the shipped model the index was built with, or else the default: a
   * command on an fp32 index needs no --model to query it. The caller closes it.
   */
  OnnxEmbedder loadFor(IndexSchema index) {
    if (model == null) {
      return create(DefaultModels.named(index.modelFingerprint()).orElse(DefaultModels.MINILM_L6_V2_Q).load());
    }
    return load();
  }

  /** Loads --model, else the default model; the caller closes it. */
  OnnxEmbedder load() {
    return create(model == null ? DefaultModels.MINILM_L6_V2_Q.load() : DefaultModels.resolve(model));
  }

  private OnnxEmbedder create(ModelBundle bundle) {
    return OnnxEmbedder.create(bundle, EmbedderOptions.builder().device(device).build());
  }
}
