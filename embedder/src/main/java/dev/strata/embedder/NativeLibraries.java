package dev.strata.embedder;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Prepares the native side before the first embedder loads. ONNX Runtime's Java API otherwise
 * extracts its libraries (22 MB on CPU, 400 MB with CUDA) into a fresh {@code onnxruntime-java*}
 * temporary directory in every JVM, which a killed process leaves behind. Here they are extracted
 * once into a cache directory keyed by the libraries' content ({@link #contentKey}), and {@code onnxruntime.native.path} points
 * ONNX Runtime at it; later JVMs find them there. The cache is {@code strata.native.cache} (a
 * system property) or {@code $XDG_CACHE_HOME/strata/native}, {@code ~/.cache/strata/native} by
 * default ({@code none} turns the cache off). A user's own {@code onnxruntime.native.path} is left alone; an unwritable cache falls
 * back to ONNX Runtime's own extraction with one log line. Empty {@code onnxruntime-java*}
 * directories that killed JVMs left are swept ({@link #sweepEmptyOrtTempDirectories}).
 *
 * <p>Also keeps DJL's CUDA probe quiet where this machine shows no NVIDIA device: DJL's tokenizer
 * loader asks libcudart for the GPU count and logs a warning per JVM when a CUDA runtime is
 * installed without a driver, though the tokenizer never uses a GPU.
 */
final class NativeLibraries {
  static final String CACHE_PROPERTY = "strata.native.cache";
  /** {@code -Dstrata.native.cache=none}: no cache, ONNX Runtime extracts per JVM as it does by itself. */
  static final String NO_CACHE = "none";
  private static final String ORT_PATH_PROPERTY = "onnxruntime.native.path";
  private static final String CUDA_PROVIDER = "onnxruntime_providers_cuda";
  private static final List<String> ORT_LIBRARIES = List.of(
      "onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared", CUDA_PROVIDER);
  private static final System.Logger LOG = System.getLogger(NativeLibraries.class.getName());
  /** How long another runtime build's cache directory stays after its last use. */
  static final Duration OLD_VERSION_AGE = Duration.ofDays(7);
  private static boolean prepared;

  private NativeLibraries() {}

  /** Idempotent; call before the first {@code OrtEnvironment.getEnvironment()}. */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    if (System.getProperty(ORT_PATH_PROPERTY) == null && !NO_CACHE.equals(System.getProperty(CACHE_PROPERTY))) {
      try {
        Path dir = extractOnnxRuntime();
        if (dir != null) {
          System.setProperty(ORT_PATH_PROPERTY, dir.toString());
        }
      } catch (UnsafeCacheException e) {
        LOG.log(System.Logger.Level.WARNING, "ONNX Runtime libraries are not loaded from the cache: {0}; ONNX Runtime"
            + " extracts them to a temporary directory instead", e.getMessage());
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.INFO, "ONNX Runtime libraries not cached ({0}); ONNX Runtime extracts them to a temporary directory", e.toString());
      }
    }
    if (!ExecutionProviders.nvidiaDevicePresent()) {
      quietDjlCudaProbe();
    }
    sweepEmptyOrtTempDirectories(Path.of(System.getProperty("java.io.tmpdir")), Duration.ofMinutes(10));
  }

  /**
   * ONNX Runtime still creates an {@code onnxruntime-java*} directory per JVM (empty when the
   * libraries come from the cache) and deletes it only at a clean exit, so killed services leave
   * empty ones. Those older than {@code age} are removed: a JVM fills its directory within a
   * second of creating it, so an old empty one belongs to no load in progress. Directories with
   * files (a JVM on ONNX Runtime's own extraction may still load a provider from its one) stay.
   */
  static int sweepEmptyOrtTempDirectories(Path tmp, Duration age) {
    int removed = 0;
    Instant cutoff = Instant.now().minus(age);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "onnxruntime-java*")) {
      for (Path dir : dirs) {
        try {
          if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
            Files.delete(dir); // refused (DirectoryNotEmptyException) unless empty
            removed++;
          }
        } catch (IOException e) {
          // not empty, not ours, or gone already: leave it
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "no sweep of {0}: {1}", tmp, e.toString());
    }
    return removed;
  }

  /** The cache directory of this runtime jar's libraries, filled if needed; null where the jar has none for this platform. */
  static Path extractOnnxRuntime() throws IOException {
    String platform = platform();
    ClassLoader loader = NativeLibraries.class.getClassLoader();
    String prefix = "ai/onnxruntime/native/" + platform + "/";
    if (loader.getResource(prefix + System.mapLibraryName("onnxruntime")) == null) {
      return null;
    }
    Path dir = cacheRoot().resolve("onnxruntime-" + platform + "-" + contentKey(loader, prefix));
    dev.strata.core.OwnerOnlyFiles.createDirectories(dir);
    requirePrivate(dir);
    Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.from(Instant.now())); // in use: not swept
    sweepOldVersions(dir.getParent(), dir, OLD_VERSION_AGE);
    for (String library : ORT_LIBRARIES) {
      String file = System.mapLibraryName(library);
      Path target = dir.resolve(file);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        requirePrivate(target);
        continue; // written whole by an atomic move, by this JVM or an earlier one
      }
      if (library.equals(CUDA_PROVIDER) && !ExecutionProviders.nvidiaDevicePresent()) {
        continue; // 380 MB no session here will load; a machine with a GPU extracts it on its first start
      }
      try (InputStream in = loader.getResourceAsStream(prefix + file)) {
        if (in == null) {
          continue; // this build has no such provider (the CPU build has no CUDA)
        }
        Path partial = Files.createTempFile(dir, file, ".partial");
        try {
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    }
    return dir;
  }

  /** A cache directory or library another user owns or can write: loading from it would run their code. */
  static final class UnsafeCacheException extends IOException {
    UnsafeCacheException(String message) {
      super(message);
    }
  }

  /**
   * Code is loaded from {@code path} only if this process's user owns it, it is no symbolic link,
   * and neither its group nor other users can write it ({@code -Dstrata.native.cache} may point
   * anywhere, {@code /tmp} included: the directory under it is created owner-only, and one that
   * someone else created first is refused).
   */
  static void requirePrivate(Path path) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    if (Files.isSymbolicLink(path)) {
      throw new UnsafeCacheException(path + " is a symbolic link");
    }
    UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal self = currentUser();
    if (!owner.equals(self)) {
      throw new UnsafeCacheException(path + " is owned by " + owner.getName() + ", not by this process's user "
          + self.getName());
    }
    java.util.Optional<String> open = dev.strata.core.OwnerOnlyFiles.writableByOthers(path);
    if (open.isPresent()) {
      throw new UnsafeCacheException(open.get());
    }
  }

  private static UserPrincipal currentUser;

  /** The owner of a file this process creates: its effective user, with or without a passwd entry. */
  private static synchronized UserPrincipal currentUser() throws IOException {
    if (currentUser == null) {
      Path probe = Files.createTempFile("strata-owner", ".probe");
      try {
        currentUser = Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
    }
    return currentUser;
  }

  static Path cacheRoot() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("strata").resolve("native");
  }

  /** ONNX Runtime's own platform names: linux-x64, osx-aarch64, win-x64... */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
    String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
    return osName + "-" + archName;
  }

  /**
   * Names the runtime's native libraries by their content, so that the same libraries share one
   * cache directory however the jar is packaged: inside a Spring Boot fat jar the runtime jar is a
   * zip entry whose time changes with every build, and a key from its path, size and time wrote a
   * new 22 MB copy at every start. The zip entries' sizes and CRC-32s are free to read (no 400 MB
   * CUDA provider is hashed); a library that is not in a jar (an exploded classpath) is hashed.
   */
  static String contentKey(ClassLoader loader, String prefix) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    for (String library : ORT_LIBRARIES) {
      String file = System.mapLibraryName(library);
      java.net.URL url = loader.getResource(prefix + file);
      if (url == null) {
        continue;
      }
      sha.update(file.getBytes(StandardCharsets.UTF_8));
      java.net.URLConnection connection = url.openConnection();
      if (connection instanceof java.net.JarURLConnection jar) {
        connection.setUseCaches(false);
        java.util.jar.JarEntry entry = jar.getJarEntry();
        sha.update((entry.getSize() + ":" + entry.getCrc()).getBytes(StandardCharsets.UTF_8));
      } else {
        try (InputStream in = connection.getInputStream()) {
          byte[] buffer = new byte[1 << 16];
          for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
          }
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  /**
   * Removes the cache directories of other runtime builds that no start has used for {@code age}
   * (each start touches its own): an upgraded service does not keep every version it ever ran.
   * A directory still mapped by a running JVM can be removed on Linux (the mapping stays valid);
   * where the platform refuses, it stays.
   */
  static int sweepOldVersions(Path root, Path current, Duration age) {
    int removed = 0;
    Instant cutoff = Instant.now().minus(age);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "onnxruntime-*")) {
      for (Path dir : dirs) {
        try {
          if (!dir.equals(current) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
              && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
            deleteTree(dir);
            removed++;
          }
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "old native cache {0} left: {1}", dir, e.toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "no sweep of {0}: {1}", root, e.toString());
    }
    return removed;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Files.delete(file); // libraries only: the cache holds no subdirectories
      }
    }
    Files.delete(dir);
  }

  /**
   * DJL 0.38's CudaUtils logs "Failed to detect GPU count" while its {@code logging} flag is set;
   * clearing it before the tokenizer's platform detection leaves the answer (no GPU) and drops the
   * warning. A DJL without the flag just keeps its warning.
   */
  private static void quietDjlCudaProbe() {
    try {
      Class<?> cuda = Class.forName("ai.djl.util.cuda.CudaUtils");
      Field logging = cuda.getDeclaredField("logging");
      logging.setAccessible(true);
      logging.setBoolean(null, false);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "DJL CUDA probe left as is: {0}", e.toString());
    }
  }
}
