package dev.strata.springai.boot;

import dev.strata.springai.StrataVectorStore;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code strata} Actuator health indicator, where Actuator is on the classpath. */
@AutoConfiguration(after = StrataVectorStoreAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(StrataVectorStore.class)
@ConditionalOnEnabledHealthIndicator("strata")
public class StrataHealthAutoConfiguration {

  /** Health of the store's index under {@code /actuator/health/strata}. */
  @Bean
  @ConditionalOnMissingBean(name = "strataHealthIndicator")
  StrataHealthIndicator strataHealthIndicator(StrataVectorStore store) {
    return new StrataHealthIndicator(store);
  }
}
