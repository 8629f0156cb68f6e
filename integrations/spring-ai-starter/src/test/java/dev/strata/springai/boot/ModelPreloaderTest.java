package dev.strata.springai.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.Embedder;
import dev.strata.core.IndexNotFoundException;
import dev.strata.springai.StrataVectorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/** A real Spring application start, so that Boot runs the listeners spring.factories names. */
class ModelPreloaderTest {
  @TempDir
  Path dir;

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({StrataEmbedderAutoConfiguration.class, StrataVectorStoreAutoConfiguration.class})
  static class App {}

  @Test
  void theStoreEmbedsWithTheModelLoadedWhileSpringStarted() {
    SpringApplication app = application();
    try (ConfigurableApplicationContext context = app.run("--spring.ai.vectorstore.strata.path=" + dir.resolve("index"),
        "--spring.ai.vectorstore.strata.initialize-schema=true", "--spring.ai.vectorstore.strata.model=default")) {
      ModelPreload preload = context.getBean(ModelPreloader.BEAN_NAME, ModelPreload.class);
      assertThat(preloaderOf(app).preload()).isSameAs(preload);
      assertThat(context.getBean(Embedder.class)).isSameAs(preload.loaded());
      assertThat(preload.take("default", dev.strata.embedder.EmbedderOptions.DEFAULTS)).as("taken once, by the bean").isNull();
      assertThat(context.getBean(StrataVectorStore.class).index().path()).isEqualTo(dir.resolve("index"));
      context.close();
      assertThatThrownBy(() -> preload.loaded().embed("after close")).hasMessageContaining("is closed");
    }
  }

  @Test
  void aFailedStartClosesTheModelNobodyTook() {
    SpringApplication app = application();
    assertThatThrownBy(() -> app.run("--spring.ai.vectorstore.strata.path=" + dir.resolve("missing"),
        "--spring.ai.vectorstore.strata.model=default"))
        .hasRootCauseInstanceOf(IndexNotFoundException.class);
    ModelPreload preload = (ModelPreload) preloaderOf(app).preload();
    assertThat(preload).isNotNull();
    assertThatThrownBy(() -> preload.loaded().embed("after a failed start")).hasMessageContaining("is closed");
  }

  @Test
  void theEmbedderTakesItsAdmissionLimitsFromProperties() {
    SpringApplication app = application();
    try (ConfigurableApplicationContext context = app.run("--spring.ai.vectorstore.strata.path=" + dir.resolve("index"),
        "--spring.ai.vectorstore.strata.initialize-schema=true", "--spring.ai.vectorstore.strata.model=default",
        "--spring.ai.vectorstore.strata.embed-max-running=3", "--spring.ai.vectorstore.strata.embed-max-queued=5")) {
      dev.strata.embedder.OnnxEmbedder embedder = (dev.strata.embedder.OnnxEmbedder) context.getBean(Embedder.class);
      assertThat(embedder.admission().limits()).isEqualTo(new dev.strata.core.AdmissionLimits(3, 5));
      assertThat(embedder).as("preloaded with the same options").isSameAs(context.getBean(ModelPreloader.BEAN_NAME, ModelPreload.class).loaded());
    }
  }

  @Test
  void preloadsOnlyWhenTheStoreWillUseStratasModel() {
    assertThat(ModelPreloader.BEAN_NAME).isEqualTo(ModelPreload.BEAN_NAME);
    assertThat(ModelPreloader.modelToPreload(new MockEnvironment())).isNull();
    assertThat(ModelPreloader.modelToPreload(new MockEnvironment().withProperty("spring.ai.vectorstore.strata.model", "default")))
        .isEqualTo("default");
    assertThat(ModelPreloader.modelToPreload(new MockEnvironment().withProperty("spring.ai.vectorstore.strata.model", "default")
        .withProperty("spring.ai.vectorstore.strata.preload-model", "false"))).isNull();
    assertThat(ModelPreloader.modelToPreload(new MockEnvironment().withProperty("spring.ai.vectorstore.strata.model", "default")
        .withProperty("spring.ai.vectorstore.type", "pgvector"))).isNull();
  }

  private static SpringApplication application() {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
    return app;
  }

  private static ModelPreloader preloaderOf(SpringApplication app) {
    return app.getListeners().stream().filter(ModelPreloader.class::isInstance).map(ModelPreloader.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("spring.factories does not name ModelPreloader"));
  }
}
