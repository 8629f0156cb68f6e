package dev.strata.springai.boot;

import dev.strata.core.AdmissionLimits;
import dev.strata.core.Embedder;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.IndexOptions;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.springai.StrataVectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A {@link StrataVectorStore} from {@code spring.ai.vectorstore.strata.*}, embedding with the
 * application's Spring AI {@link EmbeddingModel} bean or, when {@code
 * spring.ai.vectorstore.strata.model} is set, Strata's in-process model ({@link
 * StrataEmbedderAutoConfiguration}). Meters go to the application's {@link MeterRegistry}, Spring
 * AI observations to its {@link ObservationRegistry}. Selected, as Spring AI's stores are, unless
 * {@code spring.ai.vectorstore.type} names another store.
 */
@AutoConfiguration(after = StrataEmbedderAutoConfiguration.class,
    afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass(StrataVectorStore.class)
@ConditionalOnProperty(name = "spring.ai.vectorstore.type", havingValue = StrataVectorStore.DB_SYSTEM, matchIfMissing = true)
@EnableConfigurationProperties(StrataVectorStoreProperties.class)
public class StrataVectorStoreAutoConfiguration {

  /** The store; closed with the context, committing what its commit policy left buffered. */
  @Bean
  @ConditionalOnMissingBean(StrataVectorStore.class)
  StrataVectorStore vectorStore(StrataVectorStoreProperties properties, ObjectProvider<Embedder> strataEmbedder,
      ObjectProvider<EmbeddingModel> embeddingModel, ObjectProvider<BatchingStrategy> batchingStrategy,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<VectorStoreObservationConvention> observationConvention,
      ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<RetrievalMonitor> monitor) {
    StrataVectorStore.Builder builder = storeBuilder(properties, strataEmbedder.getIfUnique(), embeddingModel.getIfUnique());
    IndexOptions.Builder options = IndexOptions.builder()
        .readOnly(properties.isReadOnly())
        .refreshInterval(properties.getRefreshInterval());
    AdmissionLimits machine = AdmissionLimits.searches();
    options.searchAdmission(new AdmissionLimits(
        properties.getSearchMaxRunning() == null ? machine.maxRunning() : properties.getSearchMaxRunning(),
        properties.getSearchMaxQueued() == null ? machine.maxQueued() : properties.getSearchMaxQueued()));
    meterRegistry.ifUnique(options::meterRegistry);
    monitor.ifUnique(options::monitor);
    builder.indexOptions(options.build())
        .encoding(properties.getEncoding())
        .commitPolicy(CommitPolicy.parse(properties.getCommitPolicy()))
        .idsFromContent(properties.isIdsFromContent())
        .initializeSchema(properties.isInitializeSchema())
        .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
    observationConvention.ifAvailable(builder::customObservationConvention);
    // No bean of our own: Spring AI's builder already holds a TokenCountBatchingStrategy, and each
    // one costs ~0.3 s of start-up (it parses a BPE vocabulary) that Strata's own model never uses.
    batchingStrategy.ifUnique(builder::batchingStrategy);
    if ((properties.getPath() == null) == (properties.getAlias() == null)) {
      throw new IllegalStateException("set exactly one of " + StrataVectorStoreProperties.PREFIX + ".path (the index directory) and "
          + StrataVectorStoreProperties.PREFIX + ".alias (an alias file naming it)");
    }
    if (properties.getPath() != null) {
      builder.path(properties.getPath());
    } else {
      builder.alias(properties.getAlias());
    }
    try {
      return builder.build();
    } catch (IndexNotFoundException e) {
      if (properties.getPath() == null || properties.isInitializeSchema()) {
        throw e;
      }
      // Name the property that creates it: the message alone reads like a typo in the path.
      throw new IndexNotFoundException(properties.getPath(), "none there and " + PREFIX + ".initialize-schema is false; set"
          + " it to true to create the index there, or correct " + PREFIX + ".path");
    }
  }

  private static final String PREFIX = StrataVectorStoreProperties.PREFIX;
  private static final System.Logger LOG = System.getLogger(StrataVectorStoreAutoConfiguration.class.getName());

  private static StrataVectorStore.Builder storeBuilder(StrataVectorStoreProperties properties, Embedder strata, EmbeddingModel model) {
    if (properties.getModel() != null) {
      if (properties.getModelName() != null || properties.getDimensions() != 0) {
        throw new IllegalStateException(PREFIX + ".model=" + properties.getModel() + " embeds with Strata's in-process"
            + " model, so " + PREFIX + (properties.getModelName() != null ? ".model-name" : ".dimensions") + ", which"
            + " describes a Spring AI EmbeddingModel, would be ignored: remove one of the two");
      }
      if (model != null) {
        LOG.log(System.Logger.Level.WARNING, PREFIX + ".model=" + properties.getModel() + ": the Strata vector store"
            + " embeds with Strata's in-process model, not with the application's EmbeddingModel bean ("
            + model.getClass().getName() + "); unset " + PREFIX + ".model to use that bean instead");
      }
      if (strata == null) {
        throw new IllegalStateException(StrataVectorStoreProperties.PREFIX + ".model=" + properties.getModel()
            + " asks for Strata's in-process model, but dev.strata:embedder (or embedder-gpu) is not on the classpath");
      }
      return StrataVectorStore.builder(strata);
    }
    if (model == null) {
      throw new IllegalStateException("the Strata vector store needs an embedding model: define a Spring AI EmbeddingModel bean"
          + " (and name it with " + StrataVectorStoreProperties.PREFIX + ".model-name), or set "
          + StrataVectorStoreProperties.PREFIX + ".model=default for Strata's in-process model (dev.strata:embedder)");
    }
    return StrataVectorStore.builder(model)
        .modelName(properties.getModelName())
        .dimensions(properties.getDimensions());
  }
}
