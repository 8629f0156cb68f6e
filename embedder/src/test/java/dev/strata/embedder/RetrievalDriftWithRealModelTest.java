package dev.strata.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.MeteredEmbedder;
import dev.strata.core.SearchRequest;
import dev.strata.core.index.TextIndex;
import dev.strata.core.TextRecord;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.VectorSource;
import dev.strata.core.monitor.BreakerMode;
import dev.strata.core.monitor.DriftEvent;
import dev.strata.core.monitor.MonitorOptions;
import dev.strata.core.monitor.RetrievalDriftException;
import dev.strata.core.monitor.RetrievalMonitor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift monitor on real MiniLM embeddings: a corpus of generated sentences, normal queries
 * phrased like it, the same queries embedded by the fp32 twin of the index's quantized model (the
 * same space: must not trip), and random unit vectors (what a broken embedder emits: must trip the
 * breaker within the recent window). Also the embedder's meters, on the real model.
 */
class RetrievalDriftWithRealModelTest {
  private static final String[] WHO = {"The cat", "A small dog", "My neighbour", "The engineer", "A tired student", "The old farmer"};
  private static final String[] DOES = {"repairs", "paints", "sells", "cleans", "photographs", "studies"};
  private static final String[] WHAT = {"a red bicycle", "the garden fence", "an old laptop", "the kitchen table", "a wooden boat"};
  private static final String[] WHERE = {"in the morning", "after lunch", "at the harbour", "near the station", "every weekend"};
  private static final int BASELINE = 100;
  private static final int RECENT = 20;

  private static OnnxEmbedder quantized;
  private static OnnxEmbedder fp32;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    quantized = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2_Q.load());
    fp32 = OnnxEmbedder.create(DefaultModels.MINILM_L6_V2.load());
  }

  @AfterAll
  static void close() {
    quantized.close();
    fp32.close();
  }

  @Test
  void theTwinModelPassesAndRandomVectorsTripTheBreaker() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<DriftEvent> events = new ArrayList<>();
    Random random = new Random(17);
    MonitorOptions options = MonitorOptions.builder().baselineWindow(BASELINE).recentWindow(RECENT)
        .breaker(BreakerMode.FAIL_FAST).name("sentences").build();
    try (MeteredEmbedder embedder = MeteredEmbedder.wrap(quantizedView(), registry);
        RetrievalMonitor monitor = RetrievalMonitor.create(options).addListener(events::add);
        VectorIndex index = VectorIndex.create(dir.resolve("idx"), IndexSchema.forEmbedder(quantized).build(),
            IndexOptions.builder().monitor(monitor).build())) {
      TextIndex texts = TextIndex.of(index, embedder);
      List<TextRecord> corpus = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        corpus.add(new TextRecord("s" + i, sentence(random), Map.of()));
      }
      texts.upsertAll(corpus);
      index.commit("sentences");

      for (int i = 0; i < BASELINE + RECENT; i++) {
        texts.search(sentence(random), 10, null);
      }
      // fp32 and int8 MiniLM put a text in nearly the same place: retrieval looks the same.
      VectorSource twin = VectorSource.unchecked("fp32 twin of the index's quantized model");
      List<String> twinQueries = new ArrayList<>();
      for (int i = 0; i < 2 * RECENT; i++) {
        twinQueries.add(sentence(random));
      }
      for (float[] vector : fp32.embed(twinQueries)) {
        index.search(SearchRequest.builder(vector).k(10).source(twin).build());
      }
      assertThat(events).as("the fp32 twin must not look like drift").isEmpty();

      int refusedAfter = -1;
      for (int i = 0; i < RECENT && refusedAfter < 0; i++) {
        try {
          index.search(SearchRequest.builder(randomUnit(random, quantized.dimension())).k(10)
              .source(VectorSource.model(quantized.fingerprint())).build());
        } catch (RetrievalDriftException e) {
          refusedAfter = i + 1;
        }
      }
      System.out.printf("real model: breaker open after %d random queries (%s)%n", refusedAfter, events);
      assertThat(refusedAfter).isBetween(1, RECENT);
      assertThat(events).singleElement().extracting(DriftEvent::kind).isEqualTo(DriftEvent.Kind.DRIFTED);

      assertThat(registry.get("strata.embed.texts").tag("model", quantized.fingerprint().name()).counter().count())
          .isEqualTo(300 + BASELINE + RECENT);
      int corpusCalls = (300 + TextIndex.EMBED_CHUNK - 1) / TextIndex.EMBED_CHUNK;
      assertThat(registry.get("strata.embed.latency").timer().count()).isEqualTo(corpusCalls + BASELINE + RECENT);
      assertThat(registry.get("strata.embed.batch.size").summary().max()).isEqualTo(Math.min(300, TextIndex.EMBED_CHUNK));
      assertThat(registry.get("strata.embed.failures").counter().count()).isZero();
    }
  }

  /** The shared quantized embedder behind a wrapper whose close leaves it open for other tests. */
  private static dev.strata.core.Embedder quantizedView() {
    return new dev.strata.core.Embedder() {
      @Override
      public int dimension() {
        return quantized.dimension();
      }

      @Override
      public dev.strata.core.ModelFingerprint fingerprint() {
        return quantized.fingerprint();
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        return quantized.embed(texts);
      }

      @Override
      public void close() {}
    };
  }

  private static String sentence(Random random) {
    return WHO[random.nextInt(WHO.length)] + " " + DOES[random.nextInt(DOES.length)] + " "
        + WHAT[random.nextInt(WHAT.length)] + " " + WHERE[random.nextInt(WHERE.length)] + ".";
  }

  private static float[] randomUnit(Random random, int dimension) {
    float[] v = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dimension; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
