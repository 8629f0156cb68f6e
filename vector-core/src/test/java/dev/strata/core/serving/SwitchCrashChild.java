package dev.strata.core.serving;

import dev.strata.core.internal.io.ChecksummedFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link SwitchCrashPointTest} halts: {@code ALIAS TARGET N} migrates the alias's index
 * to TARGET, printing each durable step of the switch (the fence's and the alias's writes) as
 * {@code step K WHAT}, and halts the JVM (as a power loss or SIGKILL would stop it, no finally
 * block run) at step N; 0 runs to the end and prints {@code migrated}.
 */
public final class SwitchCrashChild {
  static final int HALTED = 86;

  private SwitchCrashChild() {}

  public static void main(String[] args) {
    Path alias = Path.of(args[0]);
    int crashAt = Integer.parseInt(args[2]);
    AtomicInteger steps = new AtomicInteger();
    ChecksummedFile.observeSteps(step -> {
      if (step.endsWith(" strata-fence.txt") || step.endsWith(" " + alias.getFileName())) {
        int k = steps.incrementAndGet();
        System.out.println("step " + k + " " + step);
        System.out.flush();
        if (k == crashAt) {
          Runtime.getRuntime().halt(HALTED);
        }
      }
    });
    LiveMigration.migrate(alias, Path.of(args[1]), null, s -> s, LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofSeconds(60)).build(),
        IndexRebuilder.Progress.NONE, () -> {});
    System.out.println("migrated");
  }
}
