package dev.strata.embedder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The models Strata ships: all-MiniLM-L6-v2 (384-d) from LangChain4j's Maven artifacts, quantized
 * (the default: smaller and faster, a dependency of this module) and fp32 (opt-in: {@code
 * dev.strata:embedder-fp32}, 79 MB). Both load from the classpath; nothing is downloaded.
 */
public enum DefaultModels {
  /** {@code default}: all-MiniLM-L6-v2, int8-quantized ONNX. */
  MINILM_L6_V2_Q("default", "all-MiniLM-L6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", "dev.strata:embedder"),
  /** {@code default-fp32}: all-MiniLM-L6-v2, full-precision ONNX. */
  MINILM_L6_V2("default-fp32", "all-MiniLM-L6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", "dev.strata:embedder-fp32");

  private final String cliName;
  private final String modelName;
  private final String modelResource;
  private final String tokenizerResource;
  private final String artifact;

  DefaultModels(String cliName, String modelName, String modelResource, String tokenizerResource, String artifact) {
    this.artifact = artifact;
    this.cliName = cliName;
    this.modelName = modelName;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
  }

  /** The name used on the command line: {@code default} or {@code default-fp32}. */
  public String cliName() {
    return cliName;
  }

  /** Whether this model's files are on the classpath (the fp32 model is an opt-in dependency). */
  public boolean available() {
    return DefaultModels.class.getClassLoader().getResource(modelResource) != null;
  }

  /** Reads this model's files from the classpath; an {@link IllegalStateException} naming the artifact to add when they are not there. */
  public ModelBundle load() {
    if (!available()) {
      throw new IllegalStateException("model " + cliName + " (" + modelName + ") is not on the classpath: add the dependency "
          + artifact + " (version from dev.strata:strata-bom) to use it");
    }
    return ModelBundle.fromClasspath(modelName, modelResource, tokenizerResource, EmbeddingSettings.SENTENCE_TRANSFORMERS);
  }

  /**
   * The shipped model an index's fingerprint names (by model name; the drift guard still checks
   * its SHA-256 when the model is used), so a command can pick the model an index was built with.
   */
  public static java.util.Optional<DefaultModels> named(String encodedFingerprint) {
    if (encodedFingerprint == null) {
      return java.util.Optional.empty();
    }
    for (DefaultModels m : values()) {
      if (encodedFingerprint.startsWith(m.modelName + "@sha256:")) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * {@code default}, {@code default-fp32}, or a directory with {@code model.onnx} and
   * {@code tokenizer.json} (mean pooling, normalised, 256 word pieces).
   */
  public static ModelBundle resolve(String spec) {
    for (DefaultModels m : values()) {
      if (m.cliName.equals(spec.toLowerCase(Locale.ROOT))) {
        return m.load();
      }
    }
    Path dir = Path.of(spec);
    if (Files.isDirectory(dir)) {
      return ModelBundle.fromDirectory(dir, EmbeddingSettings.SENTENCE_TRANSFORMERS);
    }
    throw new IllegalArgumentException(
        "unknown model '" + spec + "': expected default, default-fp32, or a directory with "
            + ModelBundle.MODEL_FILE + " and " + ModelBundle.TOKENIZER_FILE);
  }
}
