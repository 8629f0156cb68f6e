package dev.strata.springai.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops a Spring Boot application on Java 17-20 with "Strata needs Java 21 or newer" before any
 * Strata class loads. Spring Boot 3 runs on Java 17, Strata's classes (Lucene 10's) need 21, and
 * the JVM's own complaint names only class file versions. This class alone is compiled for Java 17
 * (see this module's pom) so that it can run there to say so.
 */
public class JavaVersionCheck implements EnvironmentPostProcessor {
  /** The oldest Java that runs Strata. */
  public static final int MINIMUM = 21;

  /** Runs the check on this JVM. */
  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    check(Runtime.version().feature(), System.getProperty("java.home"));
  }

  /** Refuses a Java older than {@link #MINIMUM}, naming the one found. */
  static void check(int feature, String javaHome) {
    if (feature < MINIMUM) {
      throw new IllegalStateException("Strata needs Java " + MINIMUM + " or newer (Lucene 10 does), but this application runs on Java "
          + feature + " from " + javaHome + ". Run it on a JDK " + MINIMUM + "+, or leave strata-spring-ai-starter-vector-store out.");
    }
  }
}
