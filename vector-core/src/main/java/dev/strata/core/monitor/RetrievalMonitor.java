package dev.strata.core.monitor;

import dev.strata.core.PinnedSnapshot;
import dev.strata.core.SearchObserver;
import dev.strata.core.Hit;
import dev.strata.core.SearchRequest;
import dev.strata.core.SearchResult;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Watches the searches of an index or a {@link dev.strata.core.serving.SearcherHandle} for retrieval drift,
 * optionally breaks the circuit while drifted, and optionally estimates live recall.
 *
 * <p>Drift: for each observed vector search (a {@link MonitorOptions#sampleRate()} share, evenly
 * spaced) it records the {@link RetrievalStatistic}s; when a statistic's recent mean leaves its
 * baseline by more than {@link MonitorOptions#thresholdSigmas()} baseline standard deviations the
 * monitor turns DRIFTED: it logs once, counts the event, and tells its listeners; when every
 * statistic is back it turns NORMAL again (see {@link DriftDetector} for the windows). Text-only
 * searches are not observed (no embedding is involved); hybrid ones are not either, since fused
 * scores live on another scale, but the breaker applies to them.
 *
 * <p>Breaker: while drifted, searches by vector fail with {@link RetrievalDriftException} or come
 * back flagged {@link SearchResult#degraded()}, as {@link MonitorOptions#breaker()} says. They are
 * still run and observed: the drift is in the queries (an embedding model gone wrong), so the
 * queries themselves must show when it is over.
 *
 * <p>Recall: a {@link MonitorOptions#recallSampleRate()} share of approximate vector searches is
 * re-run by brute force on a background thread against the same snapshot; {@link
 * #recallEstimate()} is the running mean recall@k.
 *
 * <pre>{@code
 * RetrievalMonitor monitor = RetrievalMonitor.create(MonitorOptions.builder()
 *     .breaker(BreakerMode.FAIL_FAST).recallSampleRate(0.01).meterRegistry(registry).name("products").build());
 * monitor.addListener(event -> alerts.send(event.toString()));
 * VectorIndex index = VectorIndex.open(dir, IndexOptions.builder().monitor(monitor).build());
 * }</pre>
 *
 * <p>Thread-safe: observations take one short lock. {@link #close()} stops the recall thread and
 * removes the meters; close it after the index or handle that uses it.
 */
public final class RetrievalMonitor implements AutoCloseable, SearchObserver {
  private static final System.Logger LOG = System.getLogger(RetrievalMonitor.class.getName());

  private final MonitorOptions options;
  private final DriftDetector detector; // guarded by this
  private final RecallEstimator recall; // null: recall sampling off
  private final List<DriftListener> listeners = new CopyOnWriteArrayList<>();
  private final MonitorMetrics metrics;
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong approximateSearches = new AtomicLong();
  private volatile DriftEvent openedBy; // the DRIFTED event while drifted, else null

  private RetrievalMonitor(MonitorOptions options, Clock clock, Executor recallExecutor) {
    this.options = options;
    this.detector = new DriftDetector(options, clock);
    this.recall = options.recallSampleRate() > 0
        ? new RecallEstimator(options.name(), options.recallQueueCapacity(), recallExecutor) : null;
    this.metrics = new MonitorMetrics(options, this::drifted, this::status, this::recallEstimate);
  }

  /** A monitor with its own recall-estimator thread, stamping drift events with the system clock. */
  public static RetrievalMonitor create(MonitorOptions options) {
    return create(options, Clock.systemUTC(), null);
  }

  /**
   * A monitor whose drift events are stamped by {@code clock} and whose exact recall runs go to
   * {@code recallExecutor} (the caller's, never shut down by the monitor; {@code null} for a thread
   * of the monitor's own). The queue bound still holds: at most {@link
   * MonitorOptions#recallQueueCapacity()} samples wait, beyond it they are dropped and counted.
   */
  public static RetrievalMonitor create(MonitorOptions options, Clock clock, Executor recallExecutor) {
    return new RetrievalMonitor(
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"), recallExecutor);
  }

  /** The options the monitor runs with. */
  public MonitorOptions options() {
    return options;
  }

  /** Adds a listener of drift events; returns this monitor. */
  public RetrievalMonitor addListener(DriftListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Removes a listener added before. */
  public void removeListener(DriftListener listener) {
    listeners.remove(listener);
  }

  /**
   * Observes one finished search and applies the breaker: returns {@code result} (flagged when
   * degraded) or throws {@link RetrievalDriftException}. Indexes and handles call this; a caller
   * searching by other means may too.
   *
   * @param pinSnapshot gives a new view of the snapshot that answered (the monitor closes it), or
   *     {@code null} if it can no longer be had; asked only for a recall sample
   */
  @Override
  public SearchResult observe(SearchRequest request, SearchResult result, Supplier<? extends PinnedSnapshot> pinSnapshot) {
    if (!request.hasVector()) {
      return result;
    }
    if (!request.isHybrid() && takeSample(searches, options.sampleRate())) {
      record(statistics(request, result));
    }
    if (recall != null && !request.isHybrid() && !request.exact()
        && takeSample(approximateSearches, options.recallSampleRate())) {
      PinnedSnapshot pinned = pinSnapshot.get();
      if (pinned != null) {
        recall.submit(request, result, pinned);
      }
    }
    return applyBreaker(result);
  }

  /** Whether the monitor is in the drifted state. */
  public boolean drifted() {
    return openedBy != null;
  }

  /** The verdict and figures now. */
  public synchronized DriftStatus status() {
    return detector.status();
  }

  /** Recall estimated from the exact re-runs so far. */
  public RecallEstimate recallEstimate() {
    return recall == null ? new RecallEstimate(Double.NaN, 0, 0, 0, 0) : recall.estimate();
  }

  /**
   * Operator's reset: forgets the recent window and closes the breaker; the baseline stays, so the
   * breaker opens again if the drift goes on.
   */
  public void reset() {
    DriftEvent event;
    synchronized (this) {
      event = detector.reset();
      openedBy = null;
    }
    publish(event);
  }

  /**
   * Forgets the baseline too, after a deliberate change (a new model, a rebuilt corpus): the next
   * {@link MonitorOptions#baselineWindow()} observations become the new normal.
   */
  public void rebaseline() {
    DriftEvent event;
    synchronized (this) {
      event = detector.rebaseline();
      openedBy = null;
    }
    publish(event);
    if (recall != null) {
      recall.reset();
    }
  }

  @Override
  public void close() {
    if (recall != null) {
      recall.close();
    }
    metrics.close();
  }

  @Override
  public String toString() {
    DriftStatus status = status();
    RecallEstimate estimate = recallEstimate();
    return "RetrievalMonitor(" + options.name() + ", " + status.state() + ", " + status.observations()
        + " observed, breaker " + options.breaker() + ", recall " + estimate.recall() + " over " + estimate.samples()
        + " samples)";
  }

  private void record(double[] values) {
    DriftEvent event;
    synchronized (this) {
      event = detector.add(values);
      if (event != null) {
        openedBy = event.kind() == DriftEvent.Kind.DRIFTED ? event : null;
      }
    }
    if (event != null) {
      publish(event);
    }
  }

  private SearchResult applyBreaker(SearchResult result) {
    DriftEvent cause = openedBy;
    if (cause == null) {
      return result;
    }
    return switch (options.breaker()) {
      case OFF -> result;
      case FLAG_DEGRADED -> {
        metrics.degraded();
        yield result.asDegraded();
      }
      case FAIL_FAST -> {
        metrics.refused();
        throw new RetrievalDriftException(options.name(), cause);
      }
    };
  }

  private void publish(DriftEvent event) {
    LOG.log(event.kind() == DriftEvent.Kind.DRIFTED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
        "retrieval monitor " + options.name() + ": " + event);
    metrics.event(event);
    for (DriftListener listener : listeners) {
      try {
        listener.onDriftEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retrieval monitor " + options.name() + ": drift listener " + listener
            + " failed on " + event.kind(), e);
      }
    }
  }

  private double[] statistics(SearchRequest request, SearchResult result) {
    List<Hit> hits = result.hits();
    double[] values = new double[RetrievalStatistic.ALL.length];
    if (!hits.isEmpty()) {
      double sum = 0;
      int aboveMin = 0;
      for (Hit hit : hits) {
        sum += hit.score();
        if (hit.score() >= options.minScore()) {
          aboveMin++;
        }
      }
      values[RetrievalStatistic.TOP1_SCORE.ordinal()] = hits.get(0).score();
      values[RetrievalStatistic.MEAN_TOPK_SCORE.ordinal()] = sum / hits.size();
      values[RetrievalStatistic.TOP1_TOPK_GAP.ordinal()] = hits.get(0).score() - hits.get(hits.size() - 1).score();
      values[RetrievalStatistic.HITS_ABOVE_MIN.ordinal()] = aboveMin;
    }
    double squares = 0;
    for (float x : request.vector()) {
      squares += (double) x * x;
    }
    values[RetrievalStatistic.QUERY_NORM.ordinal()] = Math.sqrt(squares);
    return values;
  }

  /** Whether the n-th call (counted by {@code counter}) is sampled: evenly spaced, exactly {@code rate}. */
  private static boolean takeSample(AtomicLong counter, double rate) {
    if (rate >= 1) {
      counter.incrementAndGet();
      return true;
    }
    long n = counter.getAndIncrement();
    return (long) Math.floor((n + 1) * rate) > (long) Math.floor(n * rate);
  }
}
