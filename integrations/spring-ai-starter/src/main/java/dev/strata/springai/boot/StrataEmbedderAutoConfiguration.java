package dev.strata.springai.boot;

import dev.strata.core.AdmissionLimits;
import dev.strata.core.Embedder;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.EmbedderOptions;
import dev.strata.embedder.OnnxEmbedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Strata's in-process ONNX model as a bean, when {@code spring.ai.vectorstore.strata.model} names
 * one and {@code dev.strata:embedder} is on the classpath. The bean is a Strata {@link Embedder};
 * the store embeds with it directly, and the context closes it (its native session) at shutdown.
 * {@code ModelPreloader} has usually started loading it while Spring was still starting (named,
 * not linked: no class compiled for Java 21 may refer to that Java 17 class, or javac would
 * compile it for 21 along with this one).
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(name = "dev.strata.embedder.OnnxEmbedder")
@ConditionalOnProperty(prefix = StrataVectorStoreProperties.PREFIX, name = "model")
public class StrataEmbedderAutoConfiguration {

  /** The model {@code spring.ai.vectorstore.strata.model} names: default, default-fp32 or a directory. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Embedder.class)
  Embedder strataEmbedder(org.springframework.core.env.Environment environment,
      @Qualifier(ModelPreload.BEAN_NAME) ObjectProvider<ModelPreload> preload, ObjectProvider<MeterRegistry> meterRegistry) {
    String model = environment.getRequiredProperty(StrataVectorStoreProperties.PREFIX + ".model");
    EmbedderOptions options = options(environment);
    ModelPreload started = preload.getIfAvailable();
    Embedder preloaded = started == null ? null : started.take(model, options);
    Embedder embedder = preloaded != null ? preloaded : OnnxEmbedder.create(DefaultModels.resolve(model), options);
    if (embedder instanceof OnnxEmbedder onnx) { // its admission, as the searches' is: running, queued, refused, waits
      meterRegistry.ifUnique(registry -> onnx.admission().bindTo(registry, "strata.embed.admission",
          Tags.of("model", onnx.fingerprint().shortForm())));
    }
    return embedder;
  }

  /** The embedder's options from {@code embed-max-running} and {@code embed-max-queued}; defaults where unset. */
  static EmbedderOptions options(org.springframework.core.env.Environment environment) {
    Integer running = environment.getProperty(StrataVectorStoreProperties.PREFIX + ".embed-max-running", Integer.class);
    Integer queued = environment.getProperty(StrataVectorStoreProperties.PREFIX + ".embed-max-queued", Integer.class);
    if (running == null && queued == null) {
      return EmbedderOptions.DEFAULTS;
    }
    AdmissionLimits machine = AdmissionLimits.embeddings();
    return EmbedderOptions.builder()
        .admission(new AdmissionLimits(running == null ? machine.maxRunning() : running, queued == null ? machine.maxQueued() : queued))
        .build();
  }
}
