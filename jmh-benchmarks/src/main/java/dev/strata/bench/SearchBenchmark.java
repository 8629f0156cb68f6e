package dev.strata.bench;

import dev.strata.core.IndexOptions;
import dev.strata.core.IndexSchema;
import dev.strata.core.Record;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.Similarity;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.monitor.BreakerMode;
import dev.strata.core.monitor.MonitorOptions;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.core.testing.ClusteredVectors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one {@link VectorIndex#search} through the whole public path (validation, Lucene's
 * KnnFloatVectorQuery, stored-field loading). Two forks because one JVM's layout can skew a
 * result on these machines; 20k docs so the setup stays under a minute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SearchBenchmark {
  @Param({"20000"})
  int docs;

  @Param({"384"})
  int dim;

  @Param({"10", "100"})
  int ef;

  /** {@code on}: a retrieval drift monitor with its breaker armed watches every search. */
  @Param({"off"})
  String monitor;

  private Path dir;
  private VectorIndex index;
  private RetrievalMonitor retrievalMonitor;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void build() throws IOException {
    float[][] all = ClusteredVectors.generate(11, docs + 256, dim, 50);
    dir = Files.createTempDirectory("strata-jmh");
    IndexOptions options = IndexOptions.DEFAULTS;
    if (monitor.equals("on")) {
      retrievalMonitor = RetrievalMonitor.create(MonitorOptions.builder().breaker(BreakerMode.FAIL_FAST)
          .meterRegistry(new SimpleMeterRegistry()).name("bench").build());
      options = options.toBuilder().monitor(retrievalMonitor).build();
    } else if (!monitor.equals("off")) {
      throw new IllegalArgumentException("monitor must be on or off, got " + monitor);
    }
    index = VectorIndex.create(dir.resolve("index"), IndexSchema.builder(dim, Similarity.COSINE).build(), options);
    List<Record> batch = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      batch.add(Record.of("doc-" + i, all[i]));
    }
    index.upsertAll(batch);
    index.commit("benchmark corpus");
    HarnessSupport.awaitGraphBuild(index); // searched through the graph, not exhaustively
    queries = java.util.Arrays.copyOfRange(all, docs, docs + 256);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    index.close();
    if (retrievalMonitor != null) {
      retrievalMonitor.close();
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public SearchResult searchTop10() {
    float[] query = queries[next++ & 255];
    return index.search(SearchRequest.builder(query).k(10).ef(Math.max(ef, 10)).build());
  }
}
