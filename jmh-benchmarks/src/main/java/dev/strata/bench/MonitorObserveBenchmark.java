package dev.strata.bench;

import dev.strata.core.Hit;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import dev.strata.core.monitor.BreakerMode;
import dev.strata.core.monitor.MonitorOptions;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.core.testing.ClusteredVectors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the retrieval drift monitor adds to one search: {@link RetrievalMonitor#observe} on a
 * ready-made result of 10 hits for a 384-d query (statistics, windows, verdict, breaker), with
 * nothing else in the measurement. Compare with a search's own latency (SearchBenchmark).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MonitorObserveBenchmark {
  private RetrievalMonitor monitor;
  private SearchRequest[] requests;
  private SearchResult[] results;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    monitor = RetrievalMonitor.create(MonitorOptions.builder().breaker(BreakerMode.FAIL_FAST)
        .meterRegistry(new SimpleMeterRegistry()).name("bench").build());
    float[][] queries = ClusteredVectors.generate(3, 256, 384, 10);
    Random random = new Random(4);
    requests = new SearchRequest[queries.length];
    results = new SearchResult[queries.length];
    for (int i = 0; i < queries.length; i++) {
      requests[i] = SearchRequest.builder(queries[i]).k(10).build();
      List<Hit> hits = new ArrayList<>();
      float score = 0.9f + 0.05f * random.nextFloat();
      for (int h = 0; h < 10; h++) {
        hits.add(new Hit("doc-" + random.nextInt(20_000), score, null, Map.of()));
        score -= 0.01f * random.nextFloat();
      }
      results[i] = new SearchResult(1, hits, 1000, false);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    monitor.close();
  }

  @Benchmark
  public SearchResult observe() {
    int i = next++ & 255;
    return monitor.observe(requests[i], results[i], () -> null);
  }
}
