package dev.strata.springai.boot;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Starts loading Strata's in-process model as soon as the application's properties are known, so
 * that its ~0.7 s (reading and hashing the model, the ONNX session, the tokenizer) overlap Spring's
 * own start-up instead of following it; the {@code strataEmbedder} bean takes the loaded model.
 * Only when {@code spring.ai.vectorstore.strata.model} is set and {@code preload-model} is not
 * false. A model nobody takes (the application defines its own {@code Embedder}, or the context
 * fails) is closed with the context.
 *
 * <p>Compiled for Java 17, as {@link JavaVersionCheck} is: Spring Boot creates its listeners
 * before that check runs, so this class must load on Java 17; it touches Strata's Java 21 classes
 * only after the check has passed.
 */
public class ModelPreloader implements SmartApplicationListener {
  /** The bean name of a preload: {@code ModelPreload.BEAN_NAME}, which this class cannot name (Java 21). */
  static final String BEAN_NAME = "strataModelPreload";

  private AutoCloseable preload;

  /** Listens to the environment being ready, the context being prepared, and a failed start. */
  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
        || ApplicationPreparedEvent.class.isAssignableFrom(eventType)
        || ApplicationFailedEvent.class.isAssignableFrom(eventType);
  }

  /** Starts the preload, hands it to the context as a bean, or closes it when the start failed. */
  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      String model = modelToPreload(prepared.getEnvironment());
      if (model != null && preload == null) {
        preload = start(model, prepared.getEnvironment());
      }
    } else if (event instanceof ApplicationPreparedEvent prepared && preload != null) {
      ConfigurableListableBeanFactory beans = prepared.getApplicationContext().getBeanFactory();
      beans.registerSingleton(BEAN_NAME, preload);
      if (beans instanceof DefaultSingletonBeanRegistry registry) {
        AutoCloseable owned = preload;
        registry.registerDisposableBean(BEAN_NAME, owned::close);
      }
    } else if (event instanceof ApplicationFailedEvent && preload != null) {
      try {
        preload.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the preloaded Strata model after a failed start", e);
      }
    }
  }

  /** The preload this listener started, or null. */
  AutoCloseable preload() {
    return preload;
  }

  /**
   * {@code ModelPreload.start(model, environment)}, called by name: javac compiling this class for Java 17
   * cannot read that class, which is compiled for Java 21.
   */
  private static AutoCloseable start(String model, Environment environment) {
    try {
      return (AutoCloseable) Class.forName("dev.strata.springai.boot.ModelPreload", true, ModelPreloader.class.getClassLoader())
          .getDeclaredMethod("start", String.class, Environment.class)
          .invoke(null, model, environment);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start preloading Strata's model " + model, e);
    }
  }

  /** The model to preload, or null: none configured, preloading turned off, or no Strata store or embedder. */
  static String modelToPreload(Environment environment) {
    String prefix = "spring.ai.vectorstore.strata";
    String model = environment.getProperty(prefix + ".model");
    String storeType = environment.getProperty("spring.ai.vectorstore.type", "strata");
    boolean wanted = model != null && !model.isBlank() && storeType.equals("strata")
        && environment.getProperty(prefix + ".preload-model", Boolean.class, Boolean.TRUE);
    return wanted && ClassUtils.isPresent("dev.strata.embedder.OnnxEmbedder", ModelPreloader.class.getClassLoader())
        ? model
        : null;
  }
}
