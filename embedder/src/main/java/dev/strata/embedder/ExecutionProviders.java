package dev.strata.embedder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.strata.core.StrataException;

/**
 * Opens an ONNX Runtime session on CUDA or CPU. AUTO tries CUDA and falls back to CPU with one
 * log line saying why; CUDA forced and unavailable is an error that says why.
 */
final class ExecutionProviders {
  private static final System.Logger LOG = System.getLogger(ExecutionProviders.class.getName());

  private ExecutionProviders() {}

  /** A session and the device it really runs on. */
  record Session(OrtSession session, Device device) implements AutoCloseable {
    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new StrataException("cannot close ONNX Runtime session: " + e.getMessage(), e);
      }
    }
  }

  static Session open(OrtEnvironment env, ModelBundle bundle, EmbedderOptions options) throws OrtException {
    boolean cudaBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    if (options.device() == Device.CUDA && !cudaBuild) {
      throw new StrataException("CUDA was asked for, but the ONNX Runtime on the classpath is the CPU build:"
          + " depend on dev.strata:embedder-gpu instead of dev.strata:embedder (it brings onnxruntime_gpu)");
    }
    if (options.device() == Device.AUTO && !cudaBuild) {
      LOG.log(System.Logger.Level.INFO, "embedder {0}: running on CPU ({1} threads); ONNX Runtime CPU build (dev.strata:embedder-gpu for CUDA)",
          bundle.name(), options.threads());
    } else if (options.device() == Device.AUTO && !nvidiaDevicePresent()) {
      // Skip the probe: ONNX Runtime would print a native error while failing to load CUDA.
      LOG.log(System.Logger.Level.INFO, "embedder {0}: running on CPU ({1} threads); no NVIDIA device in /dev",
          bundle.name(), options.threads());
    } else if (options.device() != Device.CPU) {
      try (OrtSession.SessionOptions cudaOptions = sessionOptions(options, true)) {
        Session cuda = new Session(env.createSession(bundle.model(), cudaOptions), Device.CUDA);
        LOG.log(System.Logger.Level.INFO, "embedder {0}: running on CUDA", bundle.name());
        return cuda;
      } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
        if (options.device() == Device.CUDA) {
          throw new StrataException(
              "CUDA was asked for but cannot be used (" + e.getMessage() + "); a GPU, its driver and CUDA 12 / cuDNN 9 libraries are needed, or use device AUTO or CPU",
              e);
        }
        LOG.log(System.Logger.Level.INFO, "embedder {0}: running on CPU ({1} threads); CUDA not available: {2}",
            bundle.name(), options.threads(), firstLine(e.getMessage()));
      }
    } else {
      LOG.log(System.Logger.Level.INFO, "embedder {0}: running on CPU ({1} threads), as configured",
          bundle.name(), options.threads());
    }
    try (OrtSession.SessionOptions cpuOptions = sessionOptions(options, false)) {
      return new Session(env.createSession(bundle.model(), cpuOptions), Device.CPU);
    }
  }

  private static OrtSession.SessionOptions sessionOptions(EmbedderOptions options, boolean cuda) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // Parallelism comes from running sub-batches side by side (OnnxEmbedder), one thread each.
    so.setIntraOpNumThreads(1);
    so.setInterOpNumThreads(1);
    if (cuda) {
      so.addCUDA(0);
    }
    return so;
  }

  /** On Linux a GPU shows as /dev/nvidia0; elsewhere we cannot tell cheaply, so we try. */
  static boolean nvidiaDevicePresent() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return true;
    }
    return java.nio.file.Files.exists(java.nio.file.Path.of("/dev/nvidia0"));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
