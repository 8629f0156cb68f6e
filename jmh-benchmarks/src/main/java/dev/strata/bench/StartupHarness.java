package dev.strata.bench;

import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Time to a service's first vector, each try a fresh JVM: {@code none} (no cache: ONNX Runtime
 * extracts its libraries per JVM, as before the cache), {@code cold} (an empty cache, the first
 * start on a machine) and {@code warm} (the cache from an earlier start), interleaved round by
 * round. Each child reports the JVM's uptime when its first vector came out and how long {@code
 * OnnxEmbedder.create} took.
 *
 * <p>Usage: {@code StartupHarness [rounds=7] [cp=CLASSPATH]} (cp: the child classpath, this jar's by
 * default, which has ONNX Runtime's GPU build; an embedder's test classpath gives the CPU build).
 */
public final class StartupHarness {
  private enum Mode { NONE, COLD, WARM }

  private StartupHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child();
      return;
    }
    int rounds = HarnessSupport.intArg(args, "rounds", 7);
    String classpath = HarnessSupport.arg(args, "cp", System.getProperty("java.class.path"));
    Path work = Files.createTempDirectory("strata-startup");
    Path warmCache = work.resolve("warm-cache");
    child(classpath, warmCache, work); // fill the warm cache once
    Map<Mode, List<double[]>> results = new EnumMap<>(Mode.class);
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < Mode.values().length; i++) {
        Mode mode = Mode.values()[(round + i) % Mode.values().length]; // rotate the order each round
        String cache = switch (mode) {
          case NONE -> "none";
          case COLD -> work.resolve("cold-" + round).toString();
          case WARM -> warmCache.toString();
        };
        results.computeIfAbsent(mode, m -> new ArrayList<>()).add(child(classpath, Path.of(cache), work));
      }
    }
    System.out.printf("| cache | first vector at JVM uptime, median ms (min-max) | OnnxEmbedder.create, median ms (min-max) |%n|---|---|---|%n");
    for (Mode mode : Mode.values()) {
      List<double[]> r = results.get(mode);
      double[] uptime = r.stream().mapToDouble(x -> x[0]).toArray();
      double[] create = r.stream().mapToDouble(x -> x[1]).toArray();
      System.out.printf("| %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) |%n", mode.name().toLowerCase(java.util.Locale.ROOT),
          HarnessSupport.median(uptime), HarnessSupport.min(uptime), HarnessSupport.max(uptime),
          HarnessSupport.median(create), HarnessSupport.min(create), HarnessSupport.max(create));
    }
    System.out.printf("rounds=%d, ONNX Runtime %s build%n", rounds, results.get(Mode.WARM).get(0)[2] > 0 ? "GPU" : "CPU");
  }

  private static double[] child(String classpath, Path cache, Path work) throws Exception {
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dstrata.native.cache=" + cache, "-Djava.io.tmpdir=" + tmp, "-cp", classpath,
        StartupHarness.class.getName(), "--child").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("child failed: " + out);
    }
    String line = out.lines().filter(l -> l.startsWith("first-vector ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no result in: " + out));
    String[] f = line.split(" ");
    return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
  }

  private static void child() {
    long start = System.nanoTime();
    try (OnnxEmbedder embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load())) {
      long created = System.nanoTime();
      embedder.embed("the first vector of the day");
      boolean gpuBuild = ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
      System.out.printf("first-vector %d %.1f %d%n", ManagementFactory.getRuntimeMXBean().getUptime(), (created - start) / 1e6, gpuBuild ? 1 : 0);
    }
  }
}
