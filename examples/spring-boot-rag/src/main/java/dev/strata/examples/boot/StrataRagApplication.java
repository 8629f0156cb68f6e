package dev.strata.examples.boot;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot service's retrieval half on Strata: the starter builds the vector store from
 * {@code application.properties}, {@link Handbook} ingests the passages, and each argument is a
 * question answered with the passages a chat model would be given. Actuator reports the index's
 * health under {@code strata}.
 *
 * <p>Run: {@code ./mvnw -q -pl examples/spring-boot-rag -am install -DskipTests}, then {@code
 * ./mvnw -q -pl examples/spring-boot-rag spring-boot:run -Dspring-boot.run.arguments="how do I
 * restore yesterday's index?"}.
 */
@SpringBootApplication
public class StrataRagApplication {

  public static void main(String[] args) {
    SpringApplication.run(StrataRagApplication.class, args);
  }

  /** Ingests and answers at start; {@code strata-rag.run-on-start=false} leaves that out (start-up measurements). */
  @Bean
  @ConditionalOnProperty(name = "strata-rag.run-on-start", havingValue = "true", matchIfMissing = true)
  CommandLineRunner answerQuestions(Handbook handbook) {
    return args -> {
      handbook.ingest();
      for (String question : args) {
        System.out.println(handbook.prompt(question));
      }
    };
  }
}
