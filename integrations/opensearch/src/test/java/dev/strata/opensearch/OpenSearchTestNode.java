package dev.strata.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * One real OpenSearch node for the integration tests: the distribution and the k-NN plugin from
 * the local Maven repository, unpacked into a fresh temporary directory, started on 127.0.0.1 with
 * a 1 GiB heap on free ports, as {@code nobody} when the tests run as root (OpenSearch refuses
 * root), and stopped by its PID with its directory removed on {@link #close()}.
 */
public final class OpenSearchTestNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path home;
  private final long pid;
  private final URI uri;
  private final Thread shutdownHook;

  private OpenSearchTestNode(Path home, long pid, URI uri) {
    this.home = home;
    this.pid = pid;
    this.uri = uri;
    this.shutdownHook = new Thread(this::stopQuietly, "stop-opensearch-test-node");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Unpacks, installs the k-NN plugin, starts the node and waits for green. */
  public static OpenSearchTestNode start() throws IOException, InterruptedException {
    Path distribution = artifact("org/opensearch/distribution/integ-test-zip/opensearch", version("strata.opensearch.version"), "opensearch");
    Path knn = artifact("org/opensearch/plugin/opensearch-knn", version("strata.opensearch.knn.version"), "opensearch-knn");
    boolean root = isRoot();
    Path base = Files.createTempDirectory("strata-opensearch-");
    try {
      Path home = unpack(distribution, base);
      String javaHome = System.getProperty("java.home");
      run(List.of(home.resolve("bin/opensearch-plugin").toString(), "install", "--batch", knn.toUri().toString()),
          javaHome, Duration.ofSeconds(120), "installing the k-NN plugin");
      Path data = Files.createDirectories(base.resolve("data"));
      Path logs = Files.createDirectories(base.resolve("logs"));
      Path pidFile = base.resolve("opensearch.pid");
      if (root) {
        checkReachableByOthers(base);
        run(List.of("chown", "-R", "nobody", base.toString()), null, Duration.ofSeconds(60), "handing the node's files to nobody");
      }
      int httpPort = freePort();
      int transportPort = freePort();
      List<String> command = new ArrayList<>();
      if (root) {
        command.addAll(List.of("runuser", "-u", "nobody", "--"));
      }
      command.addAll(List.of(
          "env", "OPENSEARCH_JAVA_HOME=" + javaHome, "OPENSEARCH_JAVA_OPTS=-Xms1g -Xmx1g",
          home.resolve("bin/opensearch").toString(), "-d", "-p", pidFile.toString(),
          "-E", "cluster.name=strata-test-" + ProcessHandle.current().pid(),
          "-E", "node.name=strata-test-node",
          "-E", "network.host=127.0.0.1",
          "-E", "http.port=" + httpPort,
          "-E", "transport.port=" + transportPort,
          "-E", "discovery.type=single-node",
          "-E", "path.data=" + data,
          "-E", "path.logs=" + logs,
          // A CI disk past 90% full would otherwise leave every shard unassigned.
          "-E", "cluster.routing.allocation.disk.threshold_enabled=false"));
      run(command, javaHome, START_TIMEOUT, "starting OpenSearch");
      long pid = awaitPidFile(pidFile, logs);
      OpenSearchTestNode node = new OpenSearchTestNode(base, pid, URI.create("http://127.0.0.1:" + httpPort));
      try {
        node.awaitGreen(logs);
      } catch (IOException | RuntimeException e) {
        node.close();
        throw e;
      }
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      deleteTree(base);
      throw e;
    }
  }

  public URI uri() {
    return uri;
  }

  public long pid() {
    return pid;
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s) and removes its files. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or ran anyway
    }
  }

  private synchronized void stopQuietly() {
    ProcessHandle.of(pid).ifPresent(process -> {
      process.destroy();
      try {
        process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception notYet) {
        process.destroyForcibly();
      }
    });
    deleteTree(home);
  }

  private void awaitGreen(Path logs) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        throw new IllegalStateException("OpenSearch exited while starting; its log ends:\n" + logTail(logs));
      }
      try {
        HttpResponse<String> health = http.send(
            HttpRequest.newBuilder(uri.resolve("/_cluster/health?wait_for_status=green&timeout=5s")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        last = "HTTP " + health.statusCode() + " " + health.body();
        if (health.statusCode() == 200 && health.body().contains("\"status\":\"green\"")) {
          return;
        }
      } catch (IOException notListening) {
        last = notListening.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("OpenSearch not green within " + START_TIMEOUT.toSeconds() + " s (last: " + last
        + "); its log ends:\n" + logTail(logs));
  }

  /** {@code opensearch -d} returns before the daemon writes its PID file. */
  private static long awaitPidFile(Path pidFile, Path logs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(pidFile)) {
        String pid = Files.readString(pidFile).trim();
        if (!pid.isEmpty()) {
          return Long.parseLong(pid);
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("OpenSearch wrote no PID file within " + START_TIMEOUT.toSeconds() + " s; its log ends:\n"
        + logTail(logs));
  }

  private static String logTail(Path logs) {
    try (Stream<Path> files = Files.list(logs)) {
      StringBuilder tail = new StringBuilder();
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        tail.append("== ").append(log.getFileName()).append('\n');
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> tail.append(l).append('\n'));
      }
      return tail.toString();
    } catch (IOException e) {
      return "(cannot read the logs: " + e + ")";
    }
  }

  private static String version(String property) {
    String version = System.getProperty(property);
    if (version == null) {
      throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
    }
    return version;
  }

  private static Path artifact(String groupPath, String version, String artifactId) {
    String repo = System.getProperty("strata.maven.repo", System.getProperty("user.home") + "/.m2/repository");
    Path zip = Path.of(repo, groupPath, version, artifactId + "-" + version + ".zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException("missing " + zip + "; Maven fetches it as a test dependency of this module");
    }
    return zip;
  }

  /** Unzips keeping the executable bits; returns the distribution's top directory. */
  private static Path unpack(Path zip, Path into) throws IOException {
    Path top = null;
    try (ZipFile archive = ZipFile.builder().setPath(zip).get()) {
      for (ZipArchiveEntry entry : java.util.Collections.list(archive.getEntries())) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry escapes the directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          Files.copy(in, target);
        }
        if ((entry.getUnixMode() & 0100) != 0) {
          Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(target));
          perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(target, perms);
        }
        Path first = into.resolve(into.relativize(target).getName(0));
        top = top == null ? first : top;
      }
    }
    if (top == null || !Files.isDirectory(top.resolve("bin"))) {
      throw new IOException(zip + " does not hold an OpenSearch distribution");
    }
    return top;
  }

  /**
   * Runs a command to completion. Output goes to a file, not a pipe: {@code opensearch -d} leaves a
   * daemon behind that may hold a pipe open for as long as it runs.
   */
  private static void run(List<String> command, String javaHome, Duration timeout, String what) throws IOException, InterruptedException {
    Path output = Files.createTempFile("strata-opensearch-cmd-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      if (javaHome != null) {
        builder.environment().put("OPENSEARCH_JAVA_HOME", javaHome);
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " took more than " + timeout.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(what + " failed (exit " + process.exitValue() + "): " + String.join(" ", command)
            + "\n" + Files.readString(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    id.waitFor();
    return uid.equals("0");
  }

  /** As nobody, the node must be able to walk down to its own files. */
  private static void checkReachableByOthers(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException("user nobody cannot enter " + p + ", so the OpenSearch node could not read its"
            + " files; point java.io.tmpdir elsewhere");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
      // deepest first, so every directory is empty when its turn comes
      for (Path entry : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(entry);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the test node's directory " + dir, e);
    }
  }

}
