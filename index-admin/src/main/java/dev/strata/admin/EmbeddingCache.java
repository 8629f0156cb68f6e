package dev.strata.admin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Corpus embeddings on disk, so a second evaluation of the same corpus with the same model skips
 * the embedding. An entry's name is a hash of the model fingerprint (which covers the model file,
 * pooling and truncation), the corpus file's bytes and the recipe that built each text; a change in
 * any of them is a different entry, never a stale hit. Entries are written to a temporary file and
 * renamed, so an interrupted run leaves no half entry.
 */
final class EmbeddingCache {
  private static final int MAGIC = 0x53454d42; // "SEMB"
  private final Path dir;

  EmbeddingCache(Path dir) {
    this.dir = dir;
  }

  /** {@code $XDG_CACHE_HOME/strata/embeddings}, else {@code ~/.cache/strata/embeddings}. */
  static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("strata").resolve("embeddings");
  }

  static String key(String modelFingerprint, Path corpusFile, String recipe) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((modelFingerprint + "\n" + recipe + "\n").getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(corpusFile)) {
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  Path path(String key) {
    return dir.resolve(key + ".vec");
  }

  /** The cached vectors, if present and of the expected shape; a damaged entry is an error. */
  Optional<List<float[]>> read(String key, int count, int dimension) throws IOException {
    Path file = path(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int magic = in.readInt();
      int n = in.readInt();
      int dim = in.readInt();
      if (magic != MAGIC || n != count || dim != dimension) {
        throw new IOException("cache entry " + file + " holds " + n + " x " + dim
            + " vectors, expected " + count + " x " + dimension + "; delete it to re-embed");
      }
      List<float[]> vectors = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
          v[j] = in.readFloat();
        }
        vectors.add(v);
      }
      return Optional.of(vectors);
    }
  }

  void write(String key, List<float[]> vectors) throws IOException {
    dev.strata.core.OwnerOnlyFiles.createDirectories(dir);
    Path file = path(key);
    Path partial = dir.resolve(key + ".vec.partial");
    int dim = vectors.isEmpty() ? 0 : vectors.getFirst().length;
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(dev.strata.core.OwnerOnlyFiles.newOutputStream(partial)))) {
      out.writeInt(MAGIC);
      out.writeInt(vectors.size());
      out.writeInt(dim);
      for (float[] v : vectors) {
        for (float x : v) {
          out.writeFloat(x);
        }
      }
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
