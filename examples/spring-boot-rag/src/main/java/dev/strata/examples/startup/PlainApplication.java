package dev.strata.examples.startup;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The same service without Strata, for {@link BootStartupHarness}: the same classpath and
 * properties, Spring Boot and Actuator, Strata's auto-configurations left out. Its own package, outside {@code dev.strata.examples.boot}, keeps
 * the Strata application's beans out of its component scan.
 */
@SpringBootApplication(excludeName = {
    "dev.strata.springai.boot.StrataEmbedderAutoConfiguration",
    "dev.strata.springai.boot.StrataVectorStoreAutoConfiguration",
    "dev.strata.springai.boot.StrataHealthAutoConfiguration"})
public class PlainApplication {}
