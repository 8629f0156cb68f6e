package dev.strata.admin;

import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.Device;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.OnnxEmbedder;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --device}: which embedding model to load and where to run it. */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "default (all-MiniLM-L6-v2, quantized), default-fp32, or a directory with model.onnx and tokenizer.json.")
  String model;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu or cuda (default: ${DEFAULT-VALUE}: CUDA when a GPU works, else CPU).")
  String device;

  boolean given() {
    return model != null;
  }

  /** Loads the model; the caller closes it. */
  OnnxEmbedder load() {
    Device d;
    try {
      d = Device.valueOf(device.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown device '" + device + "'; expected auto, cpu or cuda", e);
    }
    return OnnxEmbedder.create(DefaultModels.resolve(model == null ? "default" : model), EmbedderOptions.DEFAULTS.withDevice(d));
  }
}
