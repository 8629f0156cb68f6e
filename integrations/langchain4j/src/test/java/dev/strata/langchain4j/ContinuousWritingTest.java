package dev.strata.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.strata.core.IndexOptions;
import dev.strata.core.VectorEncoding;
import dev.strata.core.live.CommitPolicy;
import dev.strata.core.serving.IndexAlias;
import dev.strata.core.serving.IndexRebuilder;
import dev.strata.core.serving.LiveMigration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store in a service that keeps writing: commit policies, idempotent ids, fresh readers, live migration. */
class ContinuousWritingTest {
  private static final int DIM = 12;

  @TempDir Path dir;

  private StrataEmbeddingStore.Builder store() {
    return StrataEmbeddingStore.builder().path(dir.resolve("index")).dimension(DIM);
  }

  @Test
  void contentIdsMakeReIngestionIdempotent() {
    List<TextSegment> segments = List.of(
        TextSegment.from("Snapshots are Lucene commits.", new Metadata().put("source", "a.md")),
        TextSegment.from("Snapshots are Lucene commits.", new Metadata().put("source", "b.md")),
        TextSegment.from("Compaction merges segments.", new Metadata().put("source", "a.md").put("page", 2)));
    List<Embedding> embeddings = segments.stream().map(s -> vector(s.text().hashCode())).toList();
    try (StrataEmbeddingStore store = store().idsFromContent(true).build()) {
      List<String> first = store.addAll(embeddings, segments);
      List<String> second = store.addAll(embeddings, segments);
      assertThat(second).isEqualTo(first);
      assertThat(first).doesNotHaveDuplicates().as("same text, other source: two records").hasSize(3);
      assertThat(store.index().stats().docs()).as("ingested twice, stored once").isEqualTo(3);
      assertThat(store.add(embeddings.get(0), segments.get(0))).isEqualTo(first.get(0));
      assertThat(store.add(vector(5))).isEqualTo(store.add(vector(5)));
      assertThat(store.index().stats().docs()).isEqualTo(4);
    }
    try (StrataEmbeddingStore randomIds = StrataEmbeddingStore.builder().path(dir.resolve("random")).dimension(DIM).build()) {
      randomIds.addAll(embeddings, segments);
      randomIds.addAll(embeddings, segments);
      assertThat(randomIds.index().stats().docs()).as("the default stays LangChain4j's: random ids").isEqualTo(6);
    }
  }

  @Test
  void anIntervalStoreReturnsAtOnceAndFlushOrCloseMakesItDurable() throws Exception {
    try (StrataEmbeddingStore store = store().commitPolicy(CommitPolicy.every(Duration.ofHours(1))).build()) {
      assertThat(store.commitPolicy()).isEqualTo(CommitPolicy.every(Duration.ofHours(1)));
      String id = store.add(vector(1));
      assertThat(store.index().contains(id)).as("buffered, not yet committed").isFalse();
      store.flush();
      assertThat(store.index().contains(id)).isTrue();
      store.add("closing", vector(2));
    }
    try (StrataEmbeddingStore reopened = store().build()) {
      assertThat(reopened.index().contains("closing")).as("close commits what was buffered").isTrue();
    }
  }

  @Test
  void concurrentCallersEachReturnDurableAndShareCommits() throws Exception {
    int threads = 4;
    int calls = 20;
    try (StrataEmbeddingStore store = store().build()) {
      long before = store.index().latestSnapshot().id();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < calls; i++) {
            String id = store.add(vector(thread * 100 + i));
            assertThat(store.index().contains(id)).isTrue();
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      long commits = store.index().latestSnapshot().id() - before;
      System.out.printf("%d adds from %d threads: %d commits%n", threads * calls, threads, commits);
      assertThat(store.index().stats().docs()).isEqualTo(threads * calls);
      assertThat(commits).isBetween(1L, (long) threads * calls);
    }
  }

  @Test
  void aReadOnlyStoreSeesTheWritersAddsByItself() throws Exception {
    try (StrataEmbeddingStore writer = store().build();
        StrataEmbeddingStore reader = store()
            .indexOptions(IndexOptions.builder().readOnly(true).refreshInterval(Duration.ofMillis(50)).build()).build()) {
      String id = writer.add(vector(3));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!reader.index().contains(id)) {
        assertThat(System.nanoTime()).as("the reader refreshed within 20 s").isLessThan(deadline);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void aStoreOnAnAliasFollowsALiveMigration() {
    Path blue = dir.resolve("blue");
    Path alias = dir.resolve("docs.alias");
    StrataEmbeddingStore.builder().path(blue).dimension(DIM).build().close();
    try (StrataEmbeddingStore seed = StrataEmbeddingStore.builder().path(blue).dimension(DIM).build()) {
      seed.add("first", vector(1));
    }
    IndexAlias.set(alias, blue, null, false);
    try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().alias(alias).dimension(DIM).build()) {
      store.add("before", vector(2));
      LiveMigration.Report report = LiveMigration.migrate(alias, dir.resolve("green"), null,
          b -> b.encoding(VectorEncoding.INT8), LiveMigration.Options.DEFAULTS, IndexRebuilder.Progress.NONE, () -> {});
      store.add("after", vector(3));
      assertThat(store.index().path()).isEqualTo(report.target());
      assertThat(store.index().contains("first")).isTrue();
      assertThat(store.index().contains("before")).isTrue();
      assertThat(store.index().contains("after")).isTrue();
    }
  }

  private static Embedding vector(long seed) {
    Random random = new Random(seed);
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return Embedding.from(v);
  }
}
