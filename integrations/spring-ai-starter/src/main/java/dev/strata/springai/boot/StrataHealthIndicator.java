package dev.strata.springai.boot;

import dev.strata.core.IndexStats;
import dev.strata.core.SnapshotInfo;
import dev.strata.core.index.VectorIndex;
import dev.strata.core.monitor.DriftStatus;
import dev.strata.core.monitor.RetrievalMonitor;
import dev.strata.springai.StrataVectorStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Actuator health of the Strata store: UP while its index answers, with the index path, model,
 * record count and last commit; DOWN when the index cannot be read (closed, damaged: the
 * exception says which) or the retrieval monitor reports drift; the drift state is shown
 * whenever a monitor is configured.
 */
public class StrataHealthIndicator extends AbstractHealthIndicator {
  private final StrataVectorStore store;

  /** Health of {@code store}'s index. */
  public StrataHealthIndicator(StrataVectorStore store) {
    super("Strata index health check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    VectorIndex index = store.index();
    SnapshotInfo last = index.latestSnapshot();
    health.up()
        .withDetail("path", index.path().toString())
        .withDetail("model", store.embedder().fingerprint().shortForm())
        .withDetail("records", last.liveCount())
        .withDetail("lastCommitSnapshot", last.id())
        .withDetail("lastCommitAt", last.createdAt().toString())
        .withDetail("commitPolicy", store.commitPolicy().toString())
        .withDetail("readOnly", index.options().readOnly());
    IndexStats stats = index.stats(); // a bulk load searched exhaustively until its graph is built
    health.withDetail("graphlessSegments", stats.graphlessSegments())
        .withDetail("graphBuildRunning", stats.graphBuildRunning());
    var admission = index.searchAdmission();
    health.withDetail("searches", java.util.Map.of("running", admission.running(), "queued", admission.queued(),
        "maxRunning", admission.limits().maxRunning(), "maxQueued", admission.limits().maxQueued(),
        "refused", admission.rejected(), "timedOut", admission.timedOut(), "saturated", admission.saturated()));
    if (index.options().monitor() instanceof RetrievalMonitor monitor) {
      DriftStatus.State drift = monitor.status().state();
      health.withDetail("drift", drift.name());
      if (drift == DriftStatus.State.DRIFTED) {
        health.down();
      }
    }
  }
}
