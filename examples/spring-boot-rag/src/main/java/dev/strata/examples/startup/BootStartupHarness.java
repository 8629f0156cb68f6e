package dev.strata.examples.startup;

import dev.strata.examples.boot.StrataRagApplication;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Where a Boot service's start-up goes, with Strata and without: each try is a fresh JVM that runs
 * {@link StrataRagApplication} (the starter, the in-process model, an existing index) or {@link
 * PlainApplication} (the same classpath, Strata's auto-configurations left out), the two
 * interleaved and their order swapped each round. A child records, with Spring's {@link
 * BufferingApplicationStartup}, the JVM uptime at {@code main}, at the start of the context refresh
 * and when application code could run (the started event, before the runners), and the time each
 * Strata bean took to create, its dependencies' creation not counted twice.
 *
 * <p>Usage: {@code BootStartupHarness [rounds=7]}, on this module's runtime classpath. The index and
 * the native-library cache are made once in a temporary directory, so every measured start is a
 * restart (the case an orchestrator repeats).
 */
public final class BootStartupHarness {
  private static final List<String> PHASES = List.of("main", "refresh", "app-code");

  private BootStartupHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args);
      return;
    }
    int rounds = Arrays.stream(args).filter(a -> a.startsWith("rounds=")).map(a -> Integer.parseInt(a.substring(7))).findFirst().orElse(7);
    Path work = Files.createTempDirectory("strata-boot-startup");
    List<Variant> variants = List.of(
        new Variant("without Strata", PlainApplication.class),
        new Variant("Strata", StrataRagApplication.class),
        new Variant("Strata, preload-model=false", StrataRagApplication.class, "--spring.ai.vectorstore.strata.preload-model=false"));
    child(work, variants.get(1)); // creates the index and fills the native cache
    Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((round + i) % variants.size());
        runs.computeIfAbsent(variant.label(), a -> new ArrayList<>()).add(child(work, variant));
      }
    }
    System.out.printf("Boot start-up, %d rounds, medians (min-max) in ms of JVM uptime; %d cores, load %.1f%n", rounds,
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    runs.forEach((app, results) -> {
      System.out.println("## " + app);
      results.get(0).keySet().stream().sorted(BootStartupHarness::phaseOrder).forEach(key -> {
        double[] v = results.stream().mapToDouble(r -> r.getOrDefault(key, 0.0)).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %.0f (%.0f-%.0f) |%n", key, v[v.length / 2], v[0], v[v.length - 1]);
      });
    });
  }

  private static int phaseOrder(String a, String b) {
    int ia = PHASES.indexOf(a), ib = PHASES.indexOf(b);
    return ia >= 0 || ib >= 0 ? Integer.compare(ia < 0 ? 99 : ia, ib < 0 ? 99 : ib) : a.compareTo(b);
  }

  /** An application to start, with the arguments that make it differ. */
  private record Variant(String label, Class<?> app, String... args) {}

  private static Map<String, Double> child(Path work, Variant variant) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dstrata.native.cache=" + work.resolve("native"), "-cp", System.getProperty("java.class.path"),
        BootStartupHarness.class.getName(), "--child", variant.app().getName(),
        "--spring.ai.vectorstore.strata.path=" + work.resolve("index"), "--strata-rag.run-on-start=false"));
    command.addAll(List.of(variant.args()));
    Class<?> app = variant.app();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(app.getSimpleName() + " failed:\n" + out);
    }
    Map<String, Double> result = new HashMap<>();
    out.lines().filter(l -> l.startsWith("startup ")).map(l -> l.split(" ")).forEach(f -> result.put(f[1], Double.parseDouble(f[2])));
    if (!result.containsKey("app-code")) {
      throw new IllegalStateException("no result from " + app.getSimpleName() + ":\n" + out);
    }
    return result;
  }

  private static void child(String[] args) throws Exception {
    long mainAt = uptime();
    SpringApplication app = new SpringApplication(Class.forName(args[1]));
    BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);
    long recordingAt = uptime();
    app.setApplicationStartup(startup);
    long[] appCodeAt = new long[1];
    app.addListeners((ApplicationListener<ApplicationStartedEvent>) e -> appCodeAt[0] = uptime());
    try (ConfigurableApplicationContext ignored = app.run(Arrays.copyOfRange(args, 2, args.length))) {
      StartupTimeline timeline = startup.getBufferedTimeline();
      System.out.println("startup main " + mainAt);
      System.out.println("startup app-code " + appCodeAt[0]);
      Map<Long, Double> childrenMs = new HashMap<>();
      for (StartupTimeline.TimelineEvent e : timeline.getEvents()) {
        if (e.getStartupStep().getParentId() != null) {
          childrenMs.merge(e.getStartupStep().getParentId(), e.getDuration().toNanos() / 1e6, Double::sum);
        }
      }
      for (StartupTimeline.TimelineEvent e : timeline.getEvents()) {
        StartupStep step = e.getStartupStep();
        if (step.getName().equals("spring.context.refresh")) {
          System.out.println("startup refresh " + (recordingAt + Duration.between(timeline.getStartTime(), e.getStartTime()).toMillis()));
        }
        if (step.getName().equals("spring.beans.instantiate")) {
          for (StartupStep.Tag tag : step.getTags()) {
            double ownMs = e.getDuration().toNanos() / 1e6 - childrenMs.getOrDefault(step.getId(), 0.0);
            if (tag.getKey().equals("beanName") && ownMs >= 10) {
              System.out.printf(Locale.ROOT, "startup bean:%s %.1f%n", tag.getValue(), ownMs);
            }
          }
        }
      }
    }
  }

  private static long uptime() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }
}
