package dev.strata.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.testing.TestSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider choice as a user's JVM makes it: child processes started with and without the
 * incubator module, and with the scalar kernels forced. Each child checks its kernels against the
 * reference and prints what it chose; the one log line must give the reason.
 */
class KernelProviderProcessTest {

  @Test
  void withTheIncubatorModuleThePanamaKernelsAreChosen() throws Exception {
    String out = runChild(List.of("--add-modules", "jdk.incubator.vector"));
    assertThat(out).contains("provider=panama", "Strata vector kernels: panama").contains("checked=ok");
  }

  @Test
  void withoutTheModuleTheScalarKernelsAreChosenAndTheLogSaysHowToEnableThem() throws Exception {
    String out = runChild(List.of());
    assertThat(out)
        .contains("provider=scalar", "checked=ok")
        .contains("start the JVM with --add-modules jdk.incubator.vector");
  }

  @Test
  void thePropertyForcesTheScalarKernels() throws Exception {
    String out = runChild(List.of("--add-modules", "jdk.incubator.vector", "-Dstrata.kernels=scalar"));
    assertThat(out).contains("provider=scalar", "forced by -Dstrata.kernels=scalar", "checked=ok");
  }

  private static String runChild(List<String> jvmArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SelfCheck.class.getName(),
        Long.toString(TestSeeds.seed("kernel-process"))));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(child.exitValue()).as("child exit code, output:%n%s", out).isZero();
    return out;
  }

  /** Child entry point: reports the provider and checks every kernel against the reference. */
  public static final class SelfCheck {
    public static void main(String[] args) {
      Random random = new Random(Long.parseLong(args[0]));
      System.out.println("provider=" + VectorKernels.provider());
      for (int length : KernelReference.AWKWARD_LENGTHS) {
        float[] a = KernelReference.floats(random, length, 1f);
        float[] b = KernelReference.floats(random, length, 1f);
        double dot = KernelReference.dotProduct(a, b);
        if (Math.abs(VectorKernels.dotProduct(a, b) - dot)
            > KernelReference.tolerance(length, KernelReference.absoluteDotTerms(a, b))) {
          System.out.println("checked=dot product off at length " + length);
          System.exit(1);
        }
        byte[] x = KernelReference.bytes(random, length);
        int exact = 0;
        for (int i = 0; i < length; i++) {
          exact += x[i] * x[i];
        }
        if (VectorKernels.dotProduct(x, x) != exact) {
          System.out.println("checked=int8 dot product off at length " + length);
          System.exit(1);
        }
      }
      System.out.println("checked=ok");
    }
  }
}
