package dev.strata.embedder;

import dev.strata.core.ModelFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Everything that decides a model's vectors: the ONNX file, the HuggingFace {@code tokenizer.json}
 * and the {@link EmbeddingSettings}. Its {@link #fingerprint()} hashes all three.
 *
 * @param name readable name used in messages and fingerprints
 * @param model bytes of the ONNX model
 * @param tokenizer bytes of the tokenizer.json
 * @param settings pooling, normalisation and truncation
 */
public record ModelBundle(String name, byte[] model, byte[] tokenizer, EmbeddingSettings settings) {
  public static final String MODEL_FILE = "model.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  public ModelBundle {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(settings, "settings");
  }

  /**
   * SHA-256 over the model bytes, the tokenizer bytes and the canonical settings, each preceded by
   * its length so no two different bundles can hash alike by shifting bytes between parts.
   */
  public ModelFingerprint fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, model);
      update(sha, tokenizer);
      update(sha, settings.canonical().getBytes(StandardCharsets.UTF_8));
      return ModelFingerprint.of(name, sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The same model files with other embedding settings (and so another fingerprint). */
  public ModelBundle withSettings(EmbeddingSettings other) {
    return new ModelBundle(name, model, tokenizer, other);
  }

  /** A directory holding {@code model.onnx} and {@code tokenizer.json}; named after it. */
  public static ModelBundle fromDirectory(Path dir, EmbeddingSettings settings) {
    Path model = dir.resolve(MODEL_FILE);
    Path tokenizer = dir.resolve(TOKENIZER_FILE);
    for (Path p : new Path[] {model, tokenizer}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "model directory " + dir + " lacks " + p.getFileName() + " (it needs " + MODEL_FILE + " and " + TOKENIZER_FILE + ")");
      }
    }
    try {
      return new ModelBundle(dir.getFileName().toString(), Files.readAllBytes(model), Files.readAllBytes(tokenizer), settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model directory " + dir, e);
    }
  }

  /** Resources on the classpath, as the default model's Maven artifacts ship them. */
  public static ModelBundle fromClasspath(String name, String modelResource, String tokenizerResource, EmbeddingSettings settings) {
    return new ModelBundle(name, resource(modelResource), resource(tokenizerResource), settings);
  }

  private static byte[] resource(String path) {
    try (InputStream in = ModelBundle.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is not on the classpath (is its model artifact a dependency?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path, e);
    }
  }

  private static void update(MessageDigest sha, byte[] part) {
    long length = part.length;
    for (int shift = 56; shift >= 0; shift -= 8) {
      sha.update((byte) (length >>> shift));
    }
    sha.update(part);
  }

  @Override
  public String toString() {
    return "ModelBundle[" + name + ", model " + model.length + " bytes, tokenizer " + tokenizer.length + " bytes, " + settings + "]";
  }
}
