package dev.strata.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.springai.StrataVectorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application: starter, properties, in-process model, ingest run twice, Actuator health. */
@SpringBootTest(args = "how do I restore yesterday's index?")
class StrataRagApplicationTest {
  @TempDir
  static Path dir;

  @DynamicPropertySource
  static void indexInTempDir(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.vectorstore.strata.path", () -> dir.resolve("index").toString());
  }

  @Autowired
  Handbook handbook;

  @Autowired
  StrataVectorStore store;

  @Autowired
  HealthEndpoint health;

  @Test
  void aQuestionRetrievesTheRightPassageAndHealthShowsTheIndex() {
    int passages = handbook.ingest(); // the runner ingested once already: same ids, no copies
    assertThat(store.index().latestSnapshot().liveCount()).isEqualTo(passages).isEqualTo(7);

    Document best = handbook.retrieve("how do I restore yesterday's index?", 1).getFirst();
    assertThat(best.getText()).startsWith("Every commit of a Strata index is a snapshot.");
    assertThat(handbook.prompt("which model made these vectors?")).contains("The drift guard records the embedding model");

    HealthComponent strata = health.healthForPath("strata");
    assertThat(strata.getStatus()).isEqualTo(Status.UP);
    assertThat(((Health) strata).getDetails())
        .containsEntry("records", 7L)
        .containsEntry("path", dir.resolve("index").toString());
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void theStarterReadmeShowsExactlyTheseProperties() throws Exception {
    String properties = java.nio.file.Files.readString(Path.of("src/main/resources/application.properties"));
    assertThat(java.nio.file.Files.readString(Path.of("../../integrations/spring-ai-starter/README.md")))
        .contains("```properties\n" + properties + "```");
  }
}
