package dev.strata.springai.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.Embedder;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.SchemaMismatchException;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import dev.strata.springai.StrataEmbeddingModel;
import dev.strata.springai.StrataVectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StrataVectorStoreAutoConfigurationTest {
  private static OnnxEmbedder model;

  @TempDir
  Path dir;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StrataEmbedderAutoConfiguration.class,
          StrataVectorStoreAutoConfiguration.class, StrataHealthAutoConfiguration.class));

  @BeforeAll
  static void loadModel() {
    model = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void theInProcessModelBacksAStoreFromPropertiesAndHealthShowsTheLastCommit() {
    runner.withPropertyValues("spring.ai.vectorstore.strata.path=" + dir.resolve("index"),
            "spring.ai.vectorstore.strata.initialize-schema=true",
            "spring.ai.vectorstore.strata.model=default", "spring.ai.vectorstore.strata.search-max-running=3",
            "spring.ai.vectorstore.strata.search-max-queued=7")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(StrataVectorStore.class).hasSingleBean(Embedder.class);
          assertThat(context.getBean(StrataVectorStore.class).index().searchAdmission().limits())
              .isEqualTo(new dev.strata.core.AdmissionLimits(3, 7));
          StrataVectorStore store = context.getBean(StrataVectorStore.class);
          store.add(List.of(new Document("Every commit is a snapshot you can roll back to.", Map.of("topic", "ops")),
              new Document("Sourdough rises slowly with a wild yeast starter.", Map.of("topic", "food"))));
          List<Document> hits = store.similaritySearch(SearchRequest.builder().query("restore yesterday's index").topK(1).build());
          assertThat(hits).extracting(Document::getText).containsExactly("Every commit is a snapshot you can roll back to.");

          Health health = context.getBean(StrataHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("records", 2L)
              .containsEntry("lastCommitSnapshot", store.index().latestSnapshot().id())
              .containsEntry("graphlessSegments", 0)
              .containsEntry("graphBuildRunning", false)
              .containsEntry("commitPolicy", "every-call");
          assertThat((String) health.getDetails().get("model")).startsWith("all-MiniLM-L6-v2-q");
          assertThat(health.getDetails().get("searches")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
              .containsEntry("maxRunning", 3).containsEntry("maxQueued", 7).containsEntry("saturated", false);
        });
  }

  @Test
  void theApplicationsEmbeddingModelIsUsedAndItsNameGuardsTheIndex() {
    Path index = dir.resolve("index");
    ApplicationContextRunner withModel = runner.withBean(EmbeddingModel.class, () -> new ForeignModel(model))
        .withPropertyValues("spring.ai.vectorstore.strata.path=" + index, "spring.ai.vectorstore.strata.initialize-schema=true");
    withModel.withPropertyValues("spring.ai.vectorstore.strata.model-name=minilm-behind-an-api-v1")
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(Embedder.class);
          StrataVectorStore store = context.getBean(StrataVectorStore.class);
          store.add(List.of(new Document("Aliases move readers and writers together.")));
          assertThat(store.embedder().fingerprint().name()).isEqualTo("minilm-behind-an-api-v1");
          assertThat(store.similaritySearch("aliases")).hasSize(1);
        });
    // The same vectors' dimension under another model's name: the drift guard refuses the index.
    withModel.withPropertyValues("spring.ai.vectorstore.strata.model-name=minilm-behind-an-api-v2")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("minilm-behind-an-api-v1"));
    withModel.run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("name the embedding model").hasMessageContaining("model-name"));
  }

  @Test
  void aPathWithoutAnIndexIsRefusedUnlessInitializeSchemaIsSet() {
    runner.withPropertyValues("spring.ai.vectorstore.strata.path=" + dir.resolve("typo"), "spring.ai.vectorstore.strata.model=default")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(IndexNotFoundException.class).hasMessageContaining("typo")
            .hasMessageContaining("spring.ai.vectorstore.strata.initialize-schema is false; set it to true"));
  }

  @Test
  void theInProcessModelWithASpringAiModelsSettingsIsRefusedSayingWhichToRemove() {
    runner.withPropertyValues("spring.ai.vectorstore.strata.path=" + dir.resolve("index"),
            "spring.ai.vectorstore.strata.model=default", "spring.ai.vectorstore.strata.model-name=my-api-model",
            "spring.ai.vectorstore.strata.initialize-schema=true")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("spring.ai.vectorstore.strata.model-name").hasMessageContaining("would be ignored"));
  }

  @Test
  void missingSettingsFailStartUpSayingWhatToSet() {
    runner.withPropertyValues("spring.ai.vectorstore.strata.model=default")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("spring.ai.vectorstore.strata.path").hasMessageContaining("spring.ai.vectorstore.strata.alias"));
    runner.withPropertyValues("spring.ai.vectorstore.strata.path=" + dir)
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("define a Spring AI EmbeddingModel bean").hasMessageContaining("model=default"));
    runner.withPropertyValues("spring.ai.vectorstore.strata.path=" + dir, "spring.ai.vectorstore.strata.model=default",
            "spring.ai.vectorstore.strata.initialize-schema=true", "spring.ai.vectorstore.strata.commit-policy=sometimes")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("invalid commit policy 'sometimes'"));
  }

  @Test
  void anotherStoreTypeLeavesStrataOut() {
    runner.withPropertyValues("spring.ai.vectorstore.type=pgvector", "spring.ai.vectorstore.strata.model=default")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(VectorStore.class));
  }

  @Test
  void commitPolicyMetersAndObservationsComeFromTheContext() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(TestObservationRegistry.class, () -> observations)
        .withPropertyValues("spring.ai.vectorstore.strata.path=" + dir.resolve("index"),
            "spring.ai.vectorstore.strata.initialize-schema=true", "spring.ai.vectorstore.strata.model=default",
            "spring.ai.vectorstore.strata.commit-policy=explicit", "spring.ai.vectorstore.strata.ids-from-content=true")
        .run(context -> {
          StrataVectorStore store = context.getBean(StrataVectorStore.class);
          assertThat(store.commitPolicy().toString()).isEqualTo("explicit");
          store.add(List.of(new Document("Compaction merges small segments.")));
          store.add(List.of(new Document("Compaction merges small segments.")));
          assertThat(store.index().latestSnapshot().liveCount()).isZero(); // explicit: nothing committed yet
          store.flush();
          assertThat(store.index().latestSnapshot().liveCount()).isEqualTo(1); // ids from content: one copy
          assertThat(store.similaritySearch("merging segments")).hasSize(1);

          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(meters.find("strata.commits").counter()).isNotNull();
          assertThat(meters.find("strata.search.latency").timers()).isNotEmpty();
          assertThat(meters.find("strata.embed.admission.rejected").functionCounter()).as("the model's admission").isNotNull();
          assertThat(meters.find("strata.embed.admission.running").gauge()).isNotNull();
          TestObservationRegistryAssert.assertThat(observations)
              .hasObservationWithNameEqualTo("db.vector.client.operation")
              .that().hasLowCardinalityKeyValue("db.system", StrataVectorStore.DB_SYSTEM);
        });
  }

  /** A Spring AI model that is not Strata's class (as OpenAI's or Ollama's would be), on real vectors. */
  private record ForeignModel(Embedder inner) implements EmbeddingModel {
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      return new StrataEmbeddingModel(inner).call(request);
    }

    @Override
    public float[] embed(Document document) {
      return inner.embed(document.getText());
    }
  }
}
