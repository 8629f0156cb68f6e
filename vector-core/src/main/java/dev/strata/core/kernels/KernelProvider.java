package dev.strata.core.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the kernels once, when first used, and says so in one log line. The Panama class is
 * loaded by name only after the module check, so a JVM without {@code jdk.incubator.vector} never
 * resolves an incubator type.
 */
final class KernelProvider {
  static final String PROPERTY = "strata.kernels";
  // Named after the public class, which operators know, without a dependency back on it.
  private static final System.Logger LOG = System.getLogger(KernelProvider.class.getPackageName() + ".VectorKernels");

  static final KernelSupport INSTANCE = choose();

  private KernelProvider() {}

  private static KernelSupport choose() {
    String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    if (forced.equals("scalar")) {
      return scalar("forced by -D" + PROPERTY + "=scalar");
    }
    if (!forced.isEmpty() && !forced.equals("panama")) {
      return scalar("-D" + PROPERTY + "=" + forced + " is not one of scalar, panama");
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return scalar("the Vector API is not enabled; start the JVM with --add-modules jdk.incubator.vector");
    }
    try {
      Class<?> panama = Class.forName(KernelProvider.class.getPackageName() + ".PanamaKernels");
      int bits = (int) panama.getDeclaredMethod("preferredBitSize").invoke(null);
      if (bits < 128) {
        return scalar("the CPU offers " + bits + "-bit vectors, too narrow to beat scalar code");
      }
      var constructor = panama.getDeclaredConstructor();
      KernelSupport kernels = (KernelSupport) constructor.newInstance();
      LOG.log(Level.INFO, "Strata vector kernels: panama, {0}-bit vectors (jdk.incubator.vector)", bits);
      return kernels;
    } catch (ReflectiveOperationException | LinkageError e) {
      return scalar("the Vector API failed to load: " + e);
    }
  }

  private static KernelSupport scalar(String reason) {
    LOG.log(Level.INFO, "Strata vector kernels: scalar, because {0}", reason);
    return ScalarKernels.INSTANCE;
  }
}
