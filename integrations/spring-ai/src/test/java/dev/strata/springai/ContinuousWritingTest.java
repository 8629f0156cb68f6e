package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.LiveMigration;
import dev.strata.embedder.DefaultModels;
import dev.strata.embedder.OnnxEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

/** The Spring AI store in a service that keeps writing: content ids, commit policies, fresh readers, live migration. */
class ContinuousWritingTest {
  private static OnnxEmbedder embedder;

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() {
    embedder = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
  }

  @AfterAll
  static void closeModel() {
    embedder.close();
  }

  private static List<Document> documents() {
    // Spring AI gives each new Document a random id: without content ids, a second ingest is a second copy.
    return List.of(new Document("Snapshots are Lucene commits.", Map.of("source", "ops.md")),
        new Document("Compaction merges small segments.", Map.of("source", "ops.md")));
  }

  @Test
  void contentIdsMakeReIngestionIdempotent() {
    try (StrataVectorStore store = StrataVectorStore.builder(embedder).path(dir.resolve("index")).idsFromContent(true).build()) {
      store.add(documents());
      store.add(documents());
      assertThat(store.index().stats().docs()).isEqualTo(2);
    }
    try (StrataVectorStore store = StrataVectorStore.builder(embedder).path(dir.resolve("random")).build()) {
      store.add(documents());
      store.add(documents());
      assertThat(store.index().stats().docs()).as("Spring AI's random ids: two copies").isEqualTo(4);
    }
  }

  @Test
  void anIntervalStoreCommitsInTheBackgroundAndAReadOnlyStoreFollows() throws Exception {
    try (StrataVectorStore writer = StrataVectorStore.builder(embedder).path(dir.resolve("index"))
            .commitPolicy(CommitPolicy.every(Duration.ofMillis(100))).build();
        StrataVectorStore reader = StrataVectorStore.builder(embedder).path(dir.resolve("index"))
            .indexOptions(IndexOptions.builder().readOnly(true).refreshInterval(Duration.ofMillis(50)).build()).build()) {
      writer.add(documents());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (reader.similaritySearch(SearchRequest.builder().query("segments").topK(5).build()).size() < 2) {
        assertThat(System.nanoTime()).as("committed by the writer's interval and seen by the reader").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void aStoreOnAnAliasFollowsALiveMigration() {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("docs.alias");
    try (StrataVectorStore seed = StrataVectorStore.open(blue, embedder)) {
      seed.add(List.of(new Document("first", "Rollback restores a known-good snapshot.", Map.of())));
    }
    IndexAlias.set(alias, blue, null, false);
    try (StrataVectorStore store = StrataVectorStore.builder(embedder).alias(alias).build()) {
      LiveMigration.Report report = LiveMigration.migrate(alias, dir.resolve("green"), null, b -> b,
          LiveMigration.Options.DEFAULTS, IndexRebuilder.Progress.NONE, () -> {});
      store.add(List.of(new Document("after", "Aliases move readers and writers together.", Map.of())));
      assertThat(store.index().path()).isEqualTo(report.target());
      assertThat(store.get("first")).isPresent();
      assertThat(store.get("after")).isPresent();
    }
  }
}
