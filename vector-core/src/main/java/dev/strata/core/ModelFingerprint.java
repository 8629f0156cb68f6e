package dev.strata.core;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies the embedding model behind a set of vectors: a SHA-256 over the model file, the
 * tokenizer file and every setting that changes vectors, plus a readable name for messages. Two
 * fingerprints match when their digests match; the name never decides.
 *
 * @param name readable model name, e.g. {@code all-MiniLM-L6-v2-q}
 * @param sha256 64 lower-case hex digits
 */
public record ModelFingerprint(String name, String sha256) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final String SEPARATOR = "@sha256:";

  public ModelFingerprint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    if (name.isBlank() || name.contains(SEPARATOR)) {
      throw new IllegalArgumentException("model name must be non-blank without '@sha256:', got '" + name + "'");
    }
    if (!HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
    }
  }

  /** The fingerprint of a model named {@code name} whose SHA-256 is {@code digest}. */
  public static ModelFingerprint of(String name, byte[] digest) {
    return new ModelFingerprint(name, HexFormat.of().formatHex(digest));
  }

  /**
   * The fingerprint of a model Strata cannot read (a remote API, another library's model): a digest
   * of the name the application declares and the dimension. The drift guard then tells models apart
   * by that name, so it must change whenever the model does (name the version:
   * {@code text-embedding-3-small}, {@code nomic-embed-text:v1.5}).
   */
  public static ModelFingerprint declared(String name, int dimension) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a declared model needs a name");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("a declared model's dimension must be positive, got " + dimension);
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(("declared-model\n" + name.strip() + "\n" + dimension).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return of(name.strip(), digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The form kept in an index's schema: {@code name@sha256:hex}. */
  public String encoded() {
    return name + SEPARATOR + sha256;
  }

  /** Reads {@link #encoded()} back. */
  public static ModelFingerprint parse(String encoded) {
    int at = encoded.lastIndexOf(SEPARATOR);
    if (at <= 0) {
      throw new IllegalArgumentException(
          "model fingerprint '" + encoded + "' is not of the form name@sha256:<64 hex digits>");
    }
    return new ModelFingerprint(encoded.substring(0, at), encoded.substring(at + SEPARATOR.length()));
  }

  /** Whether {@code other} is the same model (same digest; the name never decides). */
  public boolean matches(ModelFingerprint other) {
    return other != null && sha256.equals(other.sha256);
  }

  /**
   * Whether {@code recorded}, a fingerprint as an index keeps it, names this model: by digest when
   * it is {@link #encoded()} form, as exact text when it is a free-form label set by hand (index-admin
   * init --model-fingerprint). Null, an index that does not know its model, matches nothing.
   */
  public boolean matchesRecorded(String recorded) {
    if (recorded == null) {
      return false;
    }
    try {
      return parse(recorded).matches(this);
    } catch (IllegalArgumentException notAFingerprint) {
      return recorded.equals(encoded());
    }
  }

  /** Name and the first 12 hex digits: enough to tell two models apart in a message. */
  public String shortForm() {
    return name + " (sha256:" + sha256.substring(0, 12) + ")";
  }

  @Override
  public String toString() {
    return encoded();
  }
}
