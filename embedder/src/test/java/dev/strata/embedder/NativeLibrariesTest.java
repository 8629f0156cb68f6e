package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each JVM here is a fresh process, as a service's start is: ONNX Runtime's libraries are
 * extracted once into the cache and reused, nothing is left in the temporary directory (after a
 * clean exit or a kill), and no GPU warning is printed on a machine without an NVIDIA device.
 */
class NativeLibrariesTest {
  @TempDir
  Path dir;

  @Test
  void librariesAreExtractedOnceReusedAndNeverLeftInTheTemporaryDirectory() throws Exception {
    Path cache = dir.resolve("cache");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    String first = runEmbedder(cache, tmp, false);
    Path library = findLibrary(cache);
    FileTime written = Files.getLastModifiedTime(library);
    String second = runEmbedder(cache, tmp, false);

    assertThat(first).contains("vector 384");
    assertThat(second).contains("vector 384");
    assertThat(Files.getLastModifiedTime(library)).isEqualTo(written); // reused, not rewritten
    assertThat(leftovers(tmp)).as(first + second).isEmpty();
    if (!ExecutionProviders.nvidiaDevicePresent()) {
      assertThat(first + second).doesNotContain("Failed to detect GPU count").doesNotContain("CudaUtils");
    }

    runEmbedder(cache, tmp, true); // SIGKILLed once its vector is out: ONNX Runtime's empty directory stays
    List<String> afterKill = leftovers(tmp);
    assertThat(afterKill).allSatisfy(name -> assertThat(tmp.resolve(name)).isEmptyDirectory());
    for (String name : afterKill) { // as if the kill was an hour ago
      Files.setLastModifiedTime(tmp.resolve(name), FileTime.from(java.time.Instant.now().minusSeconds(3600)));
    }
    runEmbedder(cache, tmp, false); // the next start sweeps it
    assertThat(leftovers(tmp)).isEmpty();
  }

  @Test
  void theCacheIsOwnerOnlyAndADirectoryOthersCanWriteIsNotLoadedFrom() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
    Path cache = dir.resolve("cache");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    assertThat(runEmbedder(cache, tmp, false)).contains("vector 384");
    Path library = findLibrary(cache);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(library.getParent())))
        .isEqualTo("rwx------");

    // Another user could replace the library in a directory they can write: not loaded from there.
    Files.setPosixFilePermissions(library.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    String opened = runEmbedder(cache, tmp, false);
    assertThat(opened).contains("vector 384").contains("not loaded from the cache").contains("writable by every user");
    assertThatThrownByUnsafe(library.getParent());
  }

  private static void assertThatThrownByUnsafe(Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NativeLibraries.requirePrivate(dir))
        .isInstanceOf(NativeLibraries.UnsafeCacheException.class).hasMessageContaining("chmod go-w");
  }

  @Test
  void theCacheKeyIsTheLibrariesContentNotWhereOrWhenTheJarWasWritten() throws Exception {
    String prefix = "ai/onnxruntime/native/test-platform/";
    Path one = fakeRuntimeJar(dir.resolve("a/onnxruntime.jar"), prefix, "library bytes");
    Path again = fakeRuntimeJar(dir.resolve("b/BOOT-INF-lib-onnxruntime.jar"), prefix, "library bytes");
    Files.setLastModifiedTime(again, FileTime.from(java.time.Instant.now().plusSeconds(3600))); // a rebuilt fat jar
    Path other = fakeRuntimeJar(dir.resolve("c/onnxruntime.jar"), prefix, "other library bytes");
    assertThat(key(again, prefix)).as("same libraries, another path and time").isEqualTo(key(one, prefix));
    assertThat(key(other, prefix)).as("other libraries").isNotEqualTo(key(one, prefix));
  }

  @Test
  void otherVersionsUnusedForAWeekAreSweptAndTheCurrentOneStays() throws IOException {
    Path current = Files.createDirectories(dir.resolve("onnxruntime-linux-x64-current"));
    Path old = Files.createDirectories(dir.resolve("onnxruntime-linux-x64-old"));
    Files.writeString(old.resolve("libonnxruntime.so"), "old");
    Path recent = Files.createDirectories(dir.resolve("onnxruntime-linux-x64-recent"));
    Path unrelated = Files.createDirectories(dir.resolve("something-else"));
    FileTime longAgo = FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(30)));
    for (Path p : List.of(current, old, unrelated)) {
      Files.setLastModifiedTime(p, longAgo);
    }
    assertThat(NativeLibraries.sweepOldVersions(dir, current, NativeLibraries.OLD_VERSION_AGE)).isEqualTo(1);
    assertThat(old).doesNotExist();
    assertThat(current).exists();
    assertThat(recent).exists();
    assertThat(unrelated).exists();
  }

  private static Path fakeRuntimeJar(Path jar, String prefix, String content) throws IOException {
    Files.createDirectories(jar.getParent());
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry(prefix + System.mapLibraryName("onnxruntime")));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new java.util.jar.JarEntry(prefix + System.mapLibraryName("onnxruntime4j_jni")));
      out.write("jni".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private static String key(Path jar, String prefix) throws Exception {
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
      return NativeLibraries.contentKey(loader, prefix);
    }
  }

  @Test
  void theSweepRemovesOnlyOldEmptyDirectories() throws IOException {
    Path oldEmpty = Files.createDirectory(dir.resolve("onnxruntime-java1"));
    Path oldFull = Files.createDirectory(dir.resolve("onnxruntime-java2"));
    Files.writeString(oldFull.resolve("libonnxruntime.so"), "x");
    Path freshEmpty = Files.createDirectory(dir.resolve("onnxruntime-java3"));
    Path otherOld = Files.createDirectory(dir.resolve("someone-else"));
    for (Path p : List.of(oldEmpty, oldFull, otherOld)) {
      Files.setLastModifiedTime(p, FileTime.from(java.time.Instant.now().minusSeconds(3600)));
    }
    assertThat(NativeLibraries.sweepEmptyOrtTempDirectories(dir, java.time.Duration.ofMinutes(10))).isEqualTo(1);
    assertThat(oldEmpty).doesNotExist();
    assertThat(oldFull).exists();
    assertThat(freshEmpty).exists();
    assertThat(otherOld).exists();
  }

  private static Path findLibrary(Path cache) throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(p -> p.getFileName().toString().equals(System.mapLibraryName("onnxruntime"))).findFirst().orElseThrow();
    }
  }

  private static List<String> leftovers(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("onnxruntime")).toList();
    }
  }

  /** Runs {@link FirstVector} in a new JVM; with {@code kill}, kills it (SIGKILL) once it has printed its vector. */
  private static String runEmbedder(Path cache, Path tmp, boolean kill) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"),
        "-D" + NativeLibraries.CACHE_PROPERTY + "=" + cache,
        "-Djava.io.tmpdir=" + tmp,
        FirstVector.class.getName()));
    if (kill) {
      command.add("--wait");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (kill && line.startsWith("vector")) {
          process.destroyForcibly();
          break;
        }
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("embedder JVM finished: %s", output).isTrue();
    if (!kill) {
      assertThat(process.exitValue()).as(output.toString()).isZero();
    }
    return output.toString();
  }

  /** A service's first vector: load the default model, embed one text. */
  public static final class FirstVector {
    public static void main(String[] args) throws Exception {
      try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
        System.out.println("vector " + embedder.embed("first").length);
        if (args.length > 0) {
          Thread.sleep(60_000);
        }
      }
    }
  }
}
