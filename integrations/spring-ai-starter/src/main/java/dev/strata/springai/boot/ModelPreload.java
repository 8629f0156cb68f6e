package dev.strata.springai.boot;

import dev.strata.core.Embedder;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.OnnxEmbedder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.env.Environment;

/**
 * Strata's in-process model being loaded on a daemon thread ({@code ModelPreloader}), taken at most
 * once by the {@code strataEmbedder} bean; a model never taken is closed by {@link #close}.
 */
final class ModelPreload implements AutoCloseable {
  /** Its bean name; {@code ModelPreloader.BEAN_NAME} is the same (ModelPreloaderTest checks). */
  static final String BEAN_NAME = "strataModelPreload";

  private final String model;
  private final EmbedderOptions options;
  private final CompletableFuture<OnnxEmbedder> loading = new CompletableFuture<>();
  private final AtomicBoolean claimed = new AtomicBoolean();

  private ModelPreload(String model, EmbedderOptions options) {
    this.model = model;
    this.options = options;
  }

  /** Starts loading {@code model} (called by {@code ModelPreloader}, by name) ({@code default}, {@code default-fp32} or a directory). */
  static ModelPreload start(String model, Environment environment) {
    EmbedderOptions options = StrataEmbedderAutoConfiguration.options(environment);
    ModelPreload preload = new ModelPreload(model, options);
    Thread thread = new Thread(() -> {
      try {
        preload.loading.complete(OnnxEmbedder.create(DefaultModels.resolve(model), options));
      } catch (Throwable t) { // handed to whoever takes the model, with the error it would have got itself
        preload.loading.completeExceptionally(t);
      }
    }, "strata-model-preload");
    thread.setDaemon(true);
    thread.start();
    return preload;
  }

  /**
   * The loaded model, waiting for it if need be, or null when {@code model} with {@code options} is
   * not the one being loaded or it was already taken; a failed load throws what loading it
   * directly would have.
   */
  Embedder take(String model, EmbedderOptions options) {
    if (!this.model.equals(model) || !this.options.equals(options) || !claimed.compareAndSet(false, true)) {
      return null;
    }
    try {
      return loading.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** The model once loaded (for tests: whether it is open or closed). */
  OnnxEmbedder loaded() {
    return loading.join();
  }

  /** Closes the model unless it was taken, once it has loaded. */
  @Override
  public void close() {
    if (claimed.compareAndSet(false, true)) {
      loading.thenAccept(OnnxEmbedder::close);
    }
  }
}
